using System.Text.Json.Serialization;
using Cronos;

namespace NflCompute.Queue;

/// <summary>What a schedule does with ticks it missed (its schedulers were all down when they came).</summary>
public enum MissedTicks
{
    /// <summary>Submit one task for them all (the latest tick's).</summary>
    RunOnce,

    /// <summary>Submit one task per missed tick (at most <see cref="ScheduleDefinition.MostTicksAtOnce"/> at once).</summary>
    RunAll,

    /// <summary>Submit none of them; a tick is missed when it is more than <see cref="ScheduleDefinition.SkipGrace"/> old when seen.</summary>
    Skip,
}

/// <summary>
/// A recurring schedule (Hangfire's RecurringJob, BullMQ's job schedulers): a job submitted on each
/// tick of a cron expression in a time zone (Cronos; five fields, or six with seconds), or every
/// fixed interval. However many schedulers run, each tick submits exactly one task (or one chain, <see cref="Then"/>).
/// </summary>
public sealed record ScheduleDefinition
{
    /// <summary>Most ticks <see cref="MissedTicks.RunAll"/> submits in one pass.</summary>
    public const int MostTicksAtOnce = 1000;

    /// <summary>How late a tick may be seen and still run under <see cref="MissedTicks.Skip"/>.</summary>
    public static readonly TimeSpan SkipGrace = TimeSpan.FromSeconds(30);

    /// <summary>Its name: 1-64 letters, digits, '.', '_' or '-'.</summary>
    public required string Name { get; init; }

    /// <summary>A cron expression (e.g. <c>0 3 * * *</c>: 03:00 each day); or set <see cref="Every"/>.</summary>
    public string? Cron { get; init; }

    /// <summary>The time zone the cron expression is read in (IANA id). Default UTC.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>A fixed interval instead of <see cref="Cron"/>; at least 1 s.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>The job to submit on each tick.</summary>
    public required string Kind { get; init; }

    /// <summary>Its payload.</summary>
    public string Payload { get; init; } = "";

    /// <summary>Its hardware class.</summary>
    public string Class { get; init; } = "cpu";

    /// <summary>Its priority.</summary>
    public int Priority { get; init; }

    /// <summary>
    /// Further jobs each tick submits with the first, each waiting for the one before (a chain,
    /// all in one atomic batch under the tick's key): the nightly load-games, elo-ratings,
    /// regression-check. A step fails if the one before it fails. Empty by default.
    /// </summary>
    public IReadOnlyList<ScheduleStep> Then { get; init; } = [];

    /// <summary>What missed ticks do. Default <see cref="MissedTicks.RunOnce"/>.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<MissedTicks>))]
    public MissedTicks Missed { get; init; }

    /// <summary>Problems with the definition, each naming its field; empty when it can be scheduled.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Core.Configuration.GridNameAttribute.IsName(Name))
        {
            problems.Add($"schedule name '{Name}' must be 1-64 letters, digits, '.', '_' or '-'");
        }

        if ((Cron is null) == (Every is null))
        {
            problems.Add("a schedule needs exactly one of Cron and Every");
        }

        if (Cron is not null && ParseCron(Cron) is null)
        {
            problems.Add($"Cron '{Cron}' is not a cron expression (five fields, or six with seconds first)");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            problems.Add($"TimeZone '{TimeZone}' is not a time zone this machine knows (an IANA id, e.g. America/New_York)");
        }

        if (Every is { } every && every < TimeSpan.FromSeconds(1))
        {
            problems.Add($"Every is {every}; it must be at least 1 s");
        }

        if (string.IsNullOrEmpty(Kind))
        {
            problems.Add("Kind is empty; name the job to submit");
        }

        for (var i = 0; i < (Then?.Count ?? 0); i++)
        {
            if (Then![i] is not { Kind.Length: > 0 })
            {
                problems.Add($"Then[{i}] has no Kind; name the job to submit");
            }
        }

        return problems;
    }

    /// <summary>The first tick strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        Ticks(after, after.AddYears(5), fromInclusive: false).FirstOrDefault() is var next && next != default ? next : DateTimeOffset.MaxValue;

    /// <summary>The ticks from <paramref name="from"/> to <paramref name="to"/> (both included), at most <paramref name="most"/> (default <see cref="MostTicksAtOnce"/>).</summary>
    public IEnumerable<DateTimeOffset> Ticks(DateTimeOffset from, DateTimeOffset to, bool fromInclusive = true, int most = MostTicksAtOnce)
    {
        if (Every is { } every)
        {
            // Interval ticks sit on multiples of the interval since the epoch, so every scheduler agrees on them.
            var step = (long)every.TotalMilliseconds;
            var ms = from.ToUnixTimeMilliseconds();
            var first = ((ms + step - 1) / step) * step;
            if (!fromInclusive && first == ms)
            {
                first += step;
            }

            for (var (t, n) = (first, 0); t <= to.ToUnixTimeMilliseconds() && n < most; t += step, n++)
            {
                yield return DateTimeOffset.FromUnixTimeMilliseconds(t);
            }

            yield break;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        foreach (var t in ParseCron(Cron!)!.GetOccurrences(from, to, zone, fromInclusive, toInclusive: true).Take(most))
        {
            yield return t;
        }
    }

    // Five fields, or six with seconds first; null when it is not a cron expression.
    private static CronExpression? ParseCron(string cron) =>
        CronExpression.TryParse(cron, cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, out var parsed) ? parsed : null;
}

/// <summary>A schedule as the grid holds it.</summary>
/// <param name="Definition">What it submits, and when.</param>
/// <param name="NextTick">Its next tick (null while paused).</param>
/// <param name="LastTick">The last tick it submitted a task for, if any.</param>
/// <param name="Paused">True while paused.</param>
public sealed record ScheduleState(ScheduleDefinition Definition, DateTimeOffset? NextTick, DateTimeOffset? LastTick, bool Paused);
