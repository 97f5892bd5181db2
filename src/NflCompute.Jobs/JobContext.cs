using System.Text.Json;
using NflCompute.Kernels.Devices;
using NflCompute.Queue;

namespace NflCompute.Jobs;

/// <summary>What a handler gets: the task, the device chosen for it, the datasets, and cancellation.</summary>
/// <param name="Task">The claimed task (kind, payload, attempt, correlation id).</param>
/// <param name="Device">The device this worker runs kernels on.</param>
/// <param name="Datasets">Where the task's big inputs are.</param>
/// <param name="CancellationToken">Signalled when the task is cancelled or the worker stops.</param>
public sealed record JobContext(ClaimedTask Task, ComputeBackend Device, DatasetCache Datasets, CancellationToken CancellationToken)
{
    /// <summary>The bounds on the work a task may ask for, from the worker's settings (section Jobs).</summary>
    public Core.Jobs.JobLimits Limits { get; init; } = new();

    /// <summary>Where the job counts what it found (none outside a worker).</summary>
    public IJobMetrics? Metrics { get; init; }

    /// <summary>Where <see cref="Report"/> goes: the worker sends the latest with its next heartbeat (none outside a worker).</summary>
    public IProgress<JobProgress>? Progress { get; init; }

    /// <summary>Reads the task's failed parents from the queue (set by the worker; none outside a worker).</summary>
    public Func<Task<IReadOnlyList<FailedParent>>>? FailedParentsReader { get; init; }

    /// <summary>Reads the durable results of the task's parents (set by the worker; none outside a worker).</summary>
    public Func<Task<IReadOnlyList<ParentResult>>>? ParentResultsReader { get; init; }

    /// <summary>
    /// The results of the tasks this one depended on that completed, in the order they were named
    /// (BullMQ's getChildrenValues): how a chain hands data down. One Redis read, then one
    /// Postgres read per parent.
    /// </summary>
    public Task<IReadOnlyList<ParentResult>> ParentResultsAsync() =>
        ParentResultsReader?.Invoke() ?? System.Threading.Tasks.Task.FromResult<IReadOnlyList<ParentResult>>([]);

    /// <summary>
    /// A dataset id from a payload: an id as it is, or <c>parent:NAME</c> for the dataset a parent's
    /// result names under <c>datasets.NAME</c> (the last parent that has one), so a scheduled
    /// chain can pass on what an earlier step made (elo-ratings' <c>parent:homeWinProbability</c>).
    /// </summary>
    /// <param name="reference">The payload's value.</param>
    /// <param name="field">The payload field it came from, for the error.</param>
    /// <exception cref="JobInputException">No parent's result names that dataset.</exception>
    public async Task<string> DatasetIdAsync(string reference, string field)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!reference.StartsWith(Core.Jobs.DatasetReference.ParentPrefix, StringComparison.Ordinal))
        {
            return reference;
        }

        var name = reference[Core.Jobs.DatasetReference.ParentPrefix.Length..];
        var parents = await ParentResultsAsync().ConfigureAwait(false);
        for (var i = parents.Count - 1; i >= 0; i--)
        {
            using var result = JsonDocument.Parse(parents[i].Json);
            if (result.RootElement.ValueKind == JsonValueKind.Object
                && result.RootElement.TryGetProperty("datasets", out var datasets) && datasets.ValueKind == JsonValueKind.Object
                && datasets.TryGetProperty(name, out var id) && id.ValueKind == JsonValueKind.String)
            {
                return id.GetString()!;
            }
        }

        throw new JobInputException($"payload.{field}: '{reference}' names a dataset no parent's result has (parents with results: {(parents.Count == 0 ? "none" : string.Join(", ", parents.Select(p => p.Id)))}).");
    }

    /// <summary>
    /// The parents that failed or were cancelled before this task ran, and why: only a task
    /// submitted with <see cref="ParentFailurePolicy.Ignore"/> runs after such a parent. One Redis read.
    /// </summary>
    public Task<IReadOnlyList<FailedParent>> FailedParentsAsync() =>
        FailedParentsReader?.Invoke() ?? System.Threading.Tasks.Task.FromResult<IReadOnlyList<FailedParent>>([]);

    /// <summary>
    /// Says how far the task is (a fraction in [0, 1], clamped) and what it is doing; cheap enough
    /// to call per chunk of work: only the latest report travels, with the worker's next heartbeat.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is NaN.</exception>
    public void Report(double fraction, string? message = null) => Progress?.Report(JobProgress.Of(fraction, message));

    /// <summary>
    /// A stage of the task, from <paramref name="from"/> to <paramref name="to"/> of the whole:
    /// a kernel's own progress (0 to 1) reported through it lands in that range, with <paramref name="message"/>.
    /// </summary>
    public IProgress<double> Stage(double from, double to, string message) => new StageProgress(this, from, to, message);

    private sealed class StageProgress(JobContext context, double from, double to, string message) : IProgress<double>
    {
        public void Report(double value) => context.Report(from + ((to - from) * Math.Clamp(value, 0, 1)), message);
    }
}
