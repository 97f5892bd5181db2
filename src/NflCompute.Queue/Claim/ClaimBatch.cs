namespace NflCompute.Queue;

/// <summary>What one claim got.</summary>
/// <param name="Tasks">The tasks claimed, best first.</param>
/// <param name="NextDelayedDueIn">How long until the earliest delayed task (a delayed submit or a retry) is due; null when none waits.</param>
public sealed record ClaimBatch(IReadOnlyList<ClaimedTask> Tasks, TimeSpan? NextDelayedDueIn);
