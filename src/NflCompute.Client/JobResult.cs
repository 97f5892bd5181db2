using NflCompute.Core.Jobs;
using NflCompute.Queue;

namespace NflCompute.Client;

/// <summary>A completed task: its result JSON (null when too big to travel through Redis: read it from Postgres) and how it ran.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Json">The result, as the worker wrote it.</param>
/// <param name="Info">The task as Redis last saw it (attempts, worker, times).</param>
public sealed record JobResult(string TaskId, string? Json, TaskInfo Info)
{
    /// <summary>The result as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The result was too big to come back through Redis.</exception>
    public T Read<T>() =>
        Json is { Length: > 0 } json
            ? JobJson.Deserialize<T>(json)!
            : throw new InvalidOperationException($"Task {TaskId}'s result is too big for Redis; read it with GridClient.ResultJsonAsync (GridClientOptions.ResultsDatabase), or `nflc results {TaskId}`.");
}
