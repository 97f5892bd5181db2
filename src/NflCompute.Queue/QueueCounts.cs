namespace NflCompute.Queue;

/// <summary>The grid's state at one instant (one round trip).</summary>
public sealed record QueueCounts
{
    /// <summary>Pending tasks per hardware class.</summary>
    public required IReadOnlyDictionary<string, long> PendingByClass { get; init; }

    /// <summary>Tasks waiting for a delay or a retry backoff.</summary>
    public long Delayed { get; init; }

    /// <summary>Tasks held by workers.</summary>
    public long Running { get; init; }

    /// <summary>Tasks waiting on parents.</summary>
    public long Waiting { get; init; }

    /// <summary>Tasks in the dead-letter queue.</summary>
    public long DeadLetters { get; init; }

    /// <summary>Registered workers whose registration has not lapsed.</summary>
    public long Workers { get; init; }

    /// <summary>Tasks completed since the grid began.</summary>
    public long CompletedTotal { get; init; }

    /// <summary>Tasks that failed for good since the grid began (requeued ones included).</summary>
    public long FailedTotal { get; init; }

    /// <summary>Tasks cancelled since the grid began.</summary>
    public long CancelledTotal { get; init; }

    /// <summary>Paused classes (claims skip them), each with when it was paused.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Paused { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>Classes with limits, each with its limits and (under a concurrency limit) its running tasks.</summary>
    public IReadOnlyDictionary<string, ClassLimits> Limits { get; init; } = new Dictionary<string, ClassLimits>();

    /// <summary>All pending tasks.</summary>
    public long Pending => PendingByClass.Values.Sum();
}
