namespace NflCompute.Queue;

/// <summary>A task a worker now holds under lease.</summary>
/// <param name="Id">The task id.</param>
/// <param name="FencingToken">
/// Proof of ownership: complete, fail, release and heartbeat must present it. It is the claim's
/// attempt number, which grows with every claim of the task, so a newer owner's token always
/// replaces an older one's.
/// </param>
/// <param name="Attempt">1 on the first run, then one more per claim.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Payload">The job's input.</param>
/// <param name="CorrelationId">The submitter's correlation id, if any.</param>
/// <param name="WorkerId">The worker that claimed it.</param>
public sealed record ClaimedTask(string Id, long FencingToken, int Attempt, string Kind, string Payload, string? CorrelationId, string WorkerId);
