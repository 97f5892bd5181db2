namespace NflCompute.Queue;

/// <summary>A live worker as registered: its profile and when its registration lapses without a heartbeat.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="ExpiresAt">When its registration lapses unless a heartbeat renews it.</param>
/// <param name="Profile">What it registered: classes, device, concurrency, registered (ms).</param>
public sealed record LiveWorker(string WorkerId, DateTimeOffset ExpiresAt, IReadOnlyDictionary<string, string> Profile)
{
    /// <summary>True when the worker claims <paramref name="hardwareClass"/> (its profile's comma-separated classes).</summary>
    public bool Claims(string hardwareClass) => Profile.GetValueOrDefault("classes", "").Split(',').Contains(hardwareClass, StringComparer.Ordinal);
}

/// <summary>Each class's oldest waiting task and the live workers: what dashboards show beyond the counts.</summary>
/// <param name="OldestPendingSince">Per class, when its oldest pending task became eligible (null when none waits).</param>
/// <param name="Workers">Live workers, by registration.</param>
public sealed record QueueOverview(IReadOnlyDictionary<string, DateTimeOffset?> OldestPendingSince, IReadOnlyList<LiveWorker> Workers)
{
    /// <summary>
    /// Per class, the tasks each submitter has pending ("" for those submitted without one): the
    /// turns fair share takes. A task cancelled while pending counts until a claim drops its entry.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> PendingBySubmitter { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, long>>();
}
