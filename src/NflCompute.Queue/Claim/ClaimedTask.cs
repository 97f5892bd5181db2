namespace NflCompute.Queue;

/// <summary>A task a worker now holds under lease.</summary>
/// <param name="Id">The task id.</param>
/// <param name="FencingToken">
/// Proof of ownership: complete, fail, release and heartbeat must present it. Its high 32 bits are
/// the attempt number and its low 32 bits the claim's secret nonce (random, drawn by the worker for
/// each claim), so it grows with every claim of the task, and a Redis that forgot a claim
/// (restored from an older log, or failed over) issues the same attempt again under a different
/// token: the forgotten holder's never matches again.
/// </param>
/// <param name="Attempt">1 on the first run, then one more per claim.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Payload">The job's input.</param>
/// <param name="CorrelationId">The submitter's correlation id, if any.</param>
/// <param name="WorkerId">The worker that claimed it.</param>
public sealed record ClaimedTask(string Id, long FencingToken, int Attempt, string Kind, string Payload, string? CorrelationId, string WorkerId)
{
    /// <summary>The class it was submitted to ("" when not known).</summary>
    public string Class { get; init; } = "";

    /// <summary>Its priority.</summary>
    public int Priority { get; init; }

    /// <summary>
    /// True when no earlier claim of the task can exist: its first attempt, queued under the Redis
    /// process that serves the grid now. False for a retry, a recovery, a task handed back, a
    /// delayed or dependent task, and any task queued before the serving Redis process started
    /// (after a restart or a failover, a claim that Redis forgot may have run it and made its
    /// result durable). A worker looks for an earlier attempt's durable result only where this is false.
    /// </summary>
    public bool FirstRun { get; init; }

    /// <summary>The W3C traceparent of its submission's span, when that was traced: its attempts continue the trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C traceparent of its previous attempt's span, when that attempt failed traced: this attempt's span links to it.</summary>
    public string? PreviousAttempt { get; init; }

    /// <summary>When it was submitted: the time its id carries.</summary>
    public DateTimeOffset SubmittedAt => DateTimeOffset.FromUnixTimeMilliseconds(TaskIds.IssuedAtMs(Id));

    /// <summary>The attempt number a fencing token carries (its high 32 bits).</summary>
    public static int AttemptOf(long fencingToken) => (int)(fencingToken >> 32);
}
