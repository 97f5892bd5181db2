using System.Globalization;

namespace NflCompute.Core.Jobs;

/// <summary>
/// Upper bounds on the work one task may ask for, so a typo (resamples of 1e12) is refused with its
/// field named instead of running for ever. Bound from the configuration section <c>Jobs</c>
/// (<c>NFLC_Jobs__MaxResamples</c>); the client checks a spec against them before it submits, and
/// the worker's handler checks again (its own settings decide), sending a task over a bound to the
/// DLQ with the reason.
/// </summary>
public sealed class JobLimits
{
    /// <summary>The default of <see cref="MaxResamples"/>.</summary>
    public const long DefaultMaxResamples = 10_000_000;

    /// <summary>The default of <see cref="MaxModels"/>.</summary>
    public const int DefaultMaxModels = 1_000;

    /// <summary>The default of <see cref="MaxWork"/>.</summary>
    public const long DefaultMaxWork = 1_000_000_000_000;

    /// <summary>The default of <see cref="MaxSimulations"/>.</summary>
    public const int DefaultMaxSimulations = 10_000_000;

    /// <summary>The default of <see cref="MaxSweepSets"/>.</summary>
    public const int DefaultMaxSweepSets = 1 << 20;

    /// <summary>Resamples of one permutation test or bootstrap.</summary>
    /// <value>The default is 10,000,000.</value>
    [Configuration.InRange(1, long.MaxValue)]
    public long MaxResamples { get; set; } = DefaultMaxResamples;

    /// <summary>Models in one comparison.</summary>
    /// <value>The default is 1,000.</value>
    [Configuration.InRange(1, int.MaxValue)]
    public int MaxModels { get; set; } = DefaultMaxModels;

    /// <summary>
    /// Resampled loss differences one comparison may compute: models x games x (permutation +
    /// bootstrap resamples).
    /// </summary>
    /// <value>The default is 1e12 (a few minutes on two CPU cores; seconds on a GPU).</value>
    [Configuration.InRange(1, long.MaxValue)]
    public long MaxWork { get; set; } = DefaultMaxWork;

    /// <summary>Seasons in one season simulation.</summary>
    /// <value>The default is 10,000,000.</value>
    [Configuration.InRange(1, int.MaxValue)]
    public int MaxSimulations { get; set; } = DefaultMaxSimulations;

    /// <summary>Parameter sets in one Elo sweep.</summary>
    /// <value>The default is 1,048,576.</value>
    [Configuration.InRange(1, int.MaxValue)]
    public int MaxSweepSets { get; set; } = DefaultMaxSweepSets;

    /// <summary>Problems with these settings, each naming <c>JobLimits.Property</c>.</summary>
    public IReadOnlyList<string> Validate() => Configuration.SettingsValidator.Problems(this);

    /// <summary>A problem when <paramref name="value"/> of <c>payload.<paramref name="field"/></c> is outside 1..<paramref name="max"/>.</summary>
    public static string? OutOfRange(string field, long value, long max, string setting) =>
        value >= 1 && value <= max
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"payload.{field} is {value:N0}; it must be in 1..{max:N0} (Jobs:{setting}).");

    /// <summary>The problems, if any, with a spec's permutation and bootstrap resamples.</summary>
    public IEnumerable<string> ResampleProblems(long permutationResamples, long bootstrapResamples) =>
        new[]
        {
            OutOfRange("permutationResamples", permutationResamples, MaxResamples, nameof(MaxResamples)),
            OutOfRange("bootstrapResamples", bootstrapResamples, MaxResamples, nameof(MaxResamples)),
        }.OfType<string>();

    /// <summary>The problem, if any, with models x games x resamples of one comparison.</summary>
    public string? WorkProblem(long models, long games, long resamples) =>
        (double)models * games * resamples <= MaxWork
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"payload asks for {models:N0} models x {games:N0} games x {resamples:N0} resamples = {(double)models * games * resamples:E2} resampled differences; one task takes at most {MaxWork:E2} (Jobs:MaxWork). Use fewer resamples or split the comparison.");
}
