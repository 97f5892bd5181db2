namespace NflCompute.Core.Errors;

/// <summary>
/// A worker tried to complete, fail or release a task it no longer holds: its lease expired and
/// the task was recovered, possibly by another worker (the fencing token no longer matches).
/// The worker must drop the task; its owner will report the outcome.
/// </summary>
public sealed class LeaseLostException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public LeaseLostException(string taskId, long fencingToken)
        : base($"Task {taskId}: this claim no longer holds the lease (its token does not match); the task was recovered and this result is discarded.", taskId)
        => FencingToken = fencingToken;

    /// <summary>The stale token the caller presented (kept out of the message: tokens are the claimant's secret).</summary>
    public long FencingToken { get; }
}
