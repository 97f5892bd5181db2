using NflCompute.Storage.Tasks;

namespace NflCompute.Storage.Results;

/// <summary>An attempt that ran its task to a result: what one row of a <see cref="ResultStore.CommitCompletedAsync"/> batch records.</summary>
public sealed record CompletedAttempt(
    AttemptKey Attempt,
    string Kind,
    string Class,
    int Priority,
    string? CorrelationId,
    DateTimeOffset SubmittedAt,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string ResultJson,
    double CpuSeconds,
    double GpuSeconds);
