using NflCompute.Storage.Tasks;

namespace NflCompute.Storage.Results;

/// <summary>An attempt that ran its task to a result: what one row of a <see cref="ResultStore.CommitCompletedAsync"/> batch records.</summary>
public sealed record CompletedAttempt(TaskAttemptStart Start, DateTimeOffset FinishedAt, string ResultJson, double CpuSeconds, double GpuSeconds);
