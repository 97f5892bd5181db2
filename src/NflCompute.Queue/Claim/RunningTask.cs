namespace NflCompute.Queue;

/// <summary>A task running now, as Redis holds it: the in-flight view (Postgres records an attempt when it ends).</summary>
/// <param name="Id">The task id.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Class">The hardware class.</param>
/// <param name="Worker">The worker running it.</param>
/// <param name="Attempt">Which attempt this is.</param>
/// <param name="ClaimedAt">When this attempt was claimed.</param>
/// <param name="LeaseUntil">When its lease runs out unless the worker renews it.</param>
public sealed record RunningTask(string Id, string Kind, string Class, string Worker, int Attempt, DateTimeOffset ClaimedAt, DateTimeOffset LeaseUntil)
{
    /// <summary>Its handler's last reported progress (as of the worker's last heartbeat); null when none.</summary>
    public JobProgress? Progress { get; init; }
}

/// <summary>The tasks running now (up to the limit asked for), the soonest lease deadline first.</summary>
/// <param name="Total">Tasks running in the grid.</param>
/// <param name="Items">Those listed.</param>
public sealed record RunningTasks(long Total, IReadOnlyList<RunningTask> Items);
