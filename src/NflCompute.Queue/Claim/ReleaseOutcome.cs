namespace NflCompute.Queue;

/// <summary>What became of a task handed back.</summary>
public enum ReleaseOutcome
{
    /// <summary>Back in its queue, in its old place; the attempt does not count.</summary>
    Requeued,

    /// <summary>Its cancellation had been requested; it ended cancelled.</summary>
    Cancelled,

    /// <summary>The caller no longer held the lease; nothing changed.</summary>
    LeaseLost,

    /// <summary>The task no longer exists.</summary>
    NotFound,
}
