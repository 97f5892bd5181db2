namespace NflCompute.Storage.Tasks;

/// <summary>
/// When a task should finish, from how long its kind took (<see cref="DurationEstimate"/>, the
/// task_durations view): a running task at its start plus the median on its device (the kind's
/// slowest median where its device has no history); a pending one after the tasks ahead of it in
/// its class have gone through the slots that claim the class, then its own median. Estimates,
/// not promises: null where the kind has no completed history.
/// </summary>
public sealed class RunTimeEstimates(IReadOnlyList<DurationEstimate> durations)
{
    /// <summary>The median seconds of <paramref name="kind"/> on <paramref name="device"/>, or its slowest median on any device; null without history.</summary>
    public double? MedianSeconds(string kind, string? device) =>
        durations.FirstOrDefault(d => d.Kind == kind && d.Device == device)?.P50Seconds
        ?? durations.Where(d => d.Kind == kind).Select(d => (double?)d.P50Seconds).Max();

    /// <summary>A running task's expected end.</summary>
    public DateTimeOffset? RunningUntil(string kind, string? device, DateTimeOffset startedAt) =>
        MedianSeconds(kind, device) is { } median ? startedAt + TimeSpan.FromSeconds(median) : null;

    /// <summary>
    /// A pending task's expected end: <paramref name="ahead"/> tasks before it share
    /// <paramref name="slots"/> run slots (the live workers' concurrency for its class), each
    /// taking the mean of its kind, then it runs for its median.
    /// </summary>
    public DateTimeOffset? PendingUntil(string kind, long ahead, int slots, DateTimeOffset now)
    {
        if (MedianSeconds(kind, null) is not { } median)
        {
            return null;
        }

        var mean = durations.Where(d => d.Kind == kind).Select(d => d.MeanSeconds).DefaultIfEmpty(median).Average();
        return now + TimeSpan.FromSeconds((ahead * mean / Math.Max(1, slots)) + median);
    }
}
