namespace NflCompute.Queue.Scripts;

/// <summary>The Redis scripts of the queue, one per file in lua/ (the file name is the snake_case name).</summary>
public enum QueueScript
{
    /// <summary>lua/configure.lua</summary>
    Configure,

    /// <summary>lua/submit.lua</summary>
    Submit,

    /// <summary>lua/claim.lua</summary>
    Claim,

    /// <summary>lua/heartbeat.lua</summary>
    Heartbeat,

    /// <summary>lua/complete.lua</summary>
    Complete,

    /// <summary>lua/fail.lua</summary>
    Fail,

    /// <summary>lua/release.lua</summary>
    Release,

    /// <summary>lua/cancel.lua</summary>
    Cancel,

    /// <summary>lua/recover.lua</summary>
    Recover,

    /// <summary>lua/register_worker.lua</summary>
    RegisterWorker,

    /// <summary>lua/deregister_worker.lua</summary>
    DeregisterWorker,

    /// <summary>lua/counts.lua</summary>
    Counts,

    /// <summary>lua/dlq_list.lua</summary>
    DlqList,

    /// <summary>lua/dlq_requeue.lua</summary>
    DlqRequeue,

    /// <summary>lua/dlq_purge.lua</summary>
    DlqPurge,

    /// <summary>lua/status.lua</summary>
    Status,

    /// <summary>lua/overview.lua</summary>
    Overview,

    /// <summary>lua/running.lua</summary>
    Running,

    /// <summary>lua/settings.lua</summary>
    Settings,

    /// <summary>lua/pause.lua</summary>
    Pause,

    /// <summary>lua/limit.lua</summary>
    Limit,

    /// <summary>lua/schedule_put.lua</summary>
    SchedulePut,

    /// <summary>lua/schedule_drop.lua</summary>
    ScheduleDrop,

    /// <summary>lua/schedule_advance.lua</summary>
    ScheduleAdvance,

    /// <summary>lua/schedules.lua</summary>
    Schedules,
}
