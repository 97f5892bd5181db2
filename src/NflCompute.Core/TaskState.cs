namespace NflCompute.Core;

/// <summary>Where a task is in its life. Each task is in exactly one state at a time.</summary>
public enum TaskState
{
    /// <summary>Waiting for its parent tasks to complete.</summary>
    Waiting,

    /// <summary>Scheduled for later: submitted with a delay, or backing off before a retry.</summary>
    Delayed,

    /// <summary>In its class's queue, ready to be claimed.</summary>
    Pending,

    /// <summary>Claimed by a worker that holds its lease.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Completed,

    /// <summary>Failed for good; it sits in the dead-letter queue with its last error.</summary>
    Failed,

    /// <summary>Cancelled before it finished.</summary>
    Cancelled,
}
