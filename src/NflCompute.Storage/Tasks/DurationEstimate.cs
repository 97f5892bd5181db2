namespace NflCompute.Storage.Tasks;

/// <summary>How long one kind of task took on one device, over its completed attempts of the last 30 days.</summary>
/// <param name="Kind">The task kind.</param>
/// <param name="Device">The device it ran on.</param>
/// <param name="Runs">Completed attempts counted.</param>
/// <param name="MeanSeconds">Mean device seconds.</param>
/// <param name="P50Seconds">Median.</param>
/// <param name="P90Seconds">90th percentile: a cautious run-time prediction.</param>
/// <param name="P99Seconds">99th percentile.</param>
public sealed record DurationEstimate(string Kind, string Device, long Runs, double MeanSeconds, double P50Seconds, double P90Seconds, double P99Seconds);
