namespace NflCompute.Storage.Tasks;

/// <summary>An attempt that ended without a result (failed, retrying, cancelled, lease lost): one row of <see cref="TaskHistory.AttemptsEndedAsync"/>.</summary>
public sealed record EndedAttempt(TaskAttemptStart Start, string Status, string? Error, double CpuSeconds, double GpuSeconds, DateTimeOffset FinishedAt);
