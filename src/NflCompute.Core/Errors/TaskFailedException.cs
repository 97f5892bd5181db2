namespace NflCompute.Core.Errors;

/// <summary>A task ended without a result: failed (its worker's reason, in the dead-letter queue) or cancelled.</summary>
public sealed class TaskFailedException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public TaskFailedException(string taskId, string state, string? reason)
        : base($"Task {taskId} {state}: {reason ?? "no reason given"}", taskId)
        => (State, Reason) = (state, reason);

    /// <summary>How it ended: failed or cancelled.</summary>
    public string State { get; }

    /// <summary>The worker's reason, as the dead-letter queue keeps it.</summary>
    public string? Reason { get; }
}
