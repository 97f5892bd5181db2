namespace NflCompute.Queue;

/// <summary>What a waiting task does when one of its parents fails or is cancelled.</summary>
public enum ParentFailurePolicy
{
    /// <summary>It fails too, into the dead-letter queue, with the parent named as the reason.</summary>
    Fail,

    /// <summary>It is cancelled.</summary>
    Cancel,

    /// <summary>
    /// It counts the parent as ended: it runs once every parent has ended however it ended, and
    /// reads which failed and why from <see cref="TaskInfo.FailedParents"/> (a job: from its context).
    /// </summary>
    Ignore,

    /// <summary>
    /// It keeps waiting on a failed parent until that is requeued from the dead-letter queue and
    /// completes. A cancelled parent never runs again, so the task is cancelled; a failed parent
    /// deleted from the dead-letter queue (purge or retention) fails it.
    /// </summary>
    Wait,
}
