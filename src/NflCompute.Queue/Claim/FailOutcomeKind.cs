namespace NflCompute.Queue;

/// <summary>The kinds of <see cref="FailOutcome"/>.</summary>
public enum FailOutcomeKind
{
    /// <summary>Backing off; it will run again.</summary>
    RetryScheduled,

    /// <summary>In the dead-letter queue.</summary>
    Failed,

    /// <summary>Its cancellation had been requested; it ended cancelled.</summary>
    Cancelled,

    /// <summary>The caller no longer held the lease; nothing changed.</summary>
    LeaseLost,

    /// <summary>The task no longer exists.</summary>
    NotFound,
}
