namespace NflCompute.Queue;

/// <summary>
/// A hardware class's limits, grid-wide: at most <see cref="MaxRunning"/> of its tasks running at
/// once (1 runs them strictly one at a time, in order), and at most <see cref="Rate"/> started per
/// window (a token bucket: a burst of up to its count, refilled evenly over the window). Null: no limit.
/// </summary>
/// <param name="MaxRunning">Most tasks of the class running at once; at least 1.</param>
/// <param name="Rate">Most started per window.</param>
public sealed record ClassLimits(int? MaxRunning = null, RateLimit? Rate = null)
{
    /// <summary>Tasks of the class running now, as the limit counts them (null without a concurrency limit).</summary>
    public long? Running { get; init; }

    /// <summary>No limits.</summary>
    public static ClassLimits None { get; } = new();
}

/// <summary>At most <paramref name="Tasks"/> started per <paramref name="Per"/>.</summary>
/// <param name="Tasks">How many; at least 1.</param>
/// <param name="Per">The window; at least 1 ms.</param>
public sealed record RateLimit(int Tasks, TimeSpan Per)
{
    /// <summary>Parses "N/DURATION" (e.g. 10/1s, 600/1m, 5/00:00:02).</summary>
    /// <exception cref="FormatException">Not that form; the message says what is.</exception>
    public static RateLimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(text.AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var tasks) || tasks < 1
            || Core.Durations.Parse(text[(slash + 1)..]) is not { } per || per < TimeSpan.FromMilliseconds(1))
        {
            throw new FormatException($"rate '{text}' must be N/DURATION with N >= 1 and a duration of at least 1 ms, e.g. 10/1s, 600/1m or 5/00:00:02.");
        }

        return new RateLimit(tasks, per);
    }

    /// <summary>"N:ms", as Redis keeps it.</summary>
    internal string Encode() => FormattableString.Invariant($"{Tasks}:{(long)Per.TotalMilliseconds}");

    internal static RateLimit? Decode(string? field) =>
        field?.Split(':') is [var n, var ms] ? new RateLimit(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(long.Parse(ms, System.Globalization.CultureInfo.InvariantCulture))) : null;
}
