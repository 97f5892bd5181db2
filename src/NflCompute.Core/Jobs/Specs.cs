using System.Text.Json.Serialization;
using NflCompute.Core.Statistics;

namespace NflCompute.Core.Jobs;

/// <summary><c>noop</c>: does nothing; measures the grid's overhead.</summary>
public sealed record NoopSpec : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.Noop;
}

/// <summary><c>db-prune</c>: deletes the grid's task history the owner's retention lets go (<c>nflc db prune --keep</c>); it names no cutoff of its own.</summary>
public sealed record DbPruneSpec : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.DbPrune;
}

/// <summary>One model of a comparison.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Predictions">Dataset id of its predictions.</param>
public sealed record ModelPredictions(string Name, string Predictions);

/// <summary>
/// <c>compare-models</c>: models against a baseline. Inputs are dataset ids (uploaded first), not
/// the data. Enum values are kebab-case in JSON: "log-loss", "two-sided", "benjamini-hochberg".
/// </summary>
public sealed record CompareModelsSpec : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.CompareModels;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var models = Models is { Count: var n } && n > limits.MaxModels ? [$"payload.models has {n:N0} models; a comparison takes at most {limits.MaxModels:N0} (Jobs:MaxModels)."] : Array.Empty<string>();
        return limits.ResampleProblems(PermutationResamples, BootstrapResamples).Concat(models);
    }

    /// <summary>Dataset of outcomes, one per game.</summary>
    public required string Outcomes { get; init; }

    /// <summary>Dataset of the baseline's predictions.</summary>
    public required string Baseline { get; init; }

    /// <summary>The models compared with the baseline.</summary>
    public required IReadOnlyList<ModelPredictions> Models { get; init; }

    /// <summary>Scoring rule; default Brier.</summary>
    public ScoringRule Rule { get; init; } = ScoringRule.Brier;

    /// <summary>Permutation resamples; default 10,000.</summary>
    public long PermutationResamples { get; init; } = 10_000;

    /// <summary>Bootstrap resamples; default 10,000.</summary>
    public long BootstrapResamples { get; init; } = 10_000;

    /// <summary>Confidence level; default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Alternative; default two-sided.</summary>
    public Alternative Alternative { get; init; } = Alternative.TwoSided;

    /// <summary>Adjustment across models; default Holm.</summary>
    public Adjustment Adjustment { get; init; } = Adjustment.Holm;

    /// <summary>The seed; the same seed gives the same answer on every device.</summary>
    public ulong Seed { get; init; } = 1;
}

/// <summary><c>load-games</c>: a games CSV into Postgres, every row checked.</summary>
/// <param name="File">A text dataset holding the CSV; null for the shipped games file.</param>
/// <param name="Source">What to call the file in reports.</param>
public sealed record LoadGamesSpec(string? File = null, string? Source = null) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.LoadGames;
}

/// <summary>Elo constants; each one left out is 538's.</summary>
/// <param name="K">Update speed (20).</param>
/// <param name="HomeEdge">Home edge in Elo points (65).</param>
/// <param name="Reversion">Share of the way back to 1505 between seasons (1/3).</param>
/// <param name="MarginScale">Margin multiplier scale (2.2).</param>
/// <param name="MarginSlope">Margin multiplier slope (0.001).</param>
public sealed record EloParametersSpec(double? K = null, double? HomeEdge = null, double? Reversion = null, double? MarginScale = null, double? MarginSlope = null);

/// <summary><c>elo-ratings</c>: classic 538 Elo from the 1998 seeds over the loaded games.</summary>
/// <param name="FromSeason">First season reported (ratings always start from the 1998 seeds). Default 1999.</param>
/// <param name="ToSeason">Last season; default the latest loaded.</param>
/// <param name="Parameters">Elo constants; default 538's.</param>
public sealed record EloRatingsSpec(int FromSeason = 1999, int? ToSeason = null, EloParametersSpec? Parameters = null) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.EloRatings;
}

/// <summary><c>elo-sweep</c>: every combination of the axes, scored by Brier and log loss; an axis left out is 538's single value.</summary>
/// <param name="K">K values.</param>
/// <param name="HomeEdge">Home edges.</param>
/// <param name="Reversion">Season reversions.</param>
/// <param name="MarginScale">Margin multiplier scales.</param>
/// <param name="MarginSlope">Margin multiplier slopes.</param>
/// <param name="ToSeason">Last season run and scored; default the latest loaded.</param>
/// <param name="ScoreFromSeason">First season scored. Default 2000 (1999 lets the seeds settle).</param>
public sealed record EloSweepSpec(
    IReadOnlyList<double>? K = null, IReadOnlyList<double>? HomeEdge = null, IReadOnlyList<double>? Reversion = null,
    IReadOnlyList<double>? MarginScale = null, IReadOnlyList<double>? MarginSlope = null, int? ToSeason = null, int ScoreFromSeason = 2000) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.EloSweep;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var sets = new[] { K, HomeEdge, Reversion, MarginScale, MarginSlope }.Aggregate(1.0, (product, axis) => product * Math.Max(axis?.Count ?? 1, 1));
        return sets <= limits.MaxSweepSets ? [] : [$"payload asks for {sets:N0} parameter sets; one sweep takes at most {limits.MaxSweepSets:N0} (Jobs:MaxSweepSets). Split it into several tasks."];
    }
}

/// <summary>Ratings during a simulated season.</summary>
public enum RatingMode
{
    /// <summary>Ratings stay as they are at the start.</summary>
    Fixed,

    /// <summary>Each simulated result moves the ratings (shift = K * (result - p)).</summary>
    Hot,
}

/// <summary><c>season-sim</c>: Monte Carlo of the rest of a regular season.</summary>
/// <param name="Season">The season to simulate.</param>
/// <param name="AfterWeek">Games of later weeks are simulated even if played; default: every game played so far counts.</param>
/// <param name="Simulations">Seasons to simulate. Default 100,000.</param>
/// <param name="Ratings">fixed (default) or hot.</param>
/// <param name="Seed">Generator seed. Default 1.</param>
/// <param name="Parameters">Elo constants; default 538's.</param>
public sealed record SeasonSimSpec(int Season, int? AfterWeek = null, int Simulations = 100_000, RatingMode Ratings = RatingMode.Fixed, ulong Seed = 1, EloParametersSpec? Parameters = null) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.SeasonSim;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new[] { JobLimits.OutOfRange("simulations", Simulations, limits.MaxSimulations, nameof(JobLimits.MaxSimulations)) }.OfType<string>();
    }
}

/// <summary><c>nfl-compare</c>: Elo and the market against a home-rate baseline on real games.</summary>
/// <param name="FromSeason">First season (2000 at the earliest: the home rate needs a season before).</param>
/// <param name="ToSeason">Last season; default FromSeason.</param>
/// <param name="PermutationResamples">Permutation resamples. Default 10,000.</param>
/// <param name="BootstrapResamples">Bootstrap resamples. Default 10,000.</param>
/// <param name="Seed">Generator seed. Default 1.</param>
public sealed record NflCompareSpec(int FromSeason, int? ToSeason = null, long PermutationResamples = 10_000, long BootstrapResamples = 10_000, ulong Seed = 1) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.NflCompare;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.ResampleProblems(PermutationResamples, BootstrapResamples);
    }
}

/// <summary><c>nfl-compare-summary</c>: Holm across the seasons of a batch of nfl-compare tasks.</summary>
/// <param name="Tasks">The nfl-compare tasks to summarise (also its dependencies).</param>
public sealed record NflCompareSummarySpec(IReadOnlyList<string> Tasks) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.NflCompareSummary;
}

/// <summary><c>regression-check</c>: a model version against its previous and best versions.</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version to check.</param>
/// <param name="Outcomes">Outcomes dataset.</param>
/// <param name="Predictions">The version's predictions dataset, aligned with the outcomes.</param>
/// <param name="Rule">Scoring rule. Default brier.</param>
/// <param name="Margin">How much worse in mean loss before it counts. Default 0.</param>
/// <param name="Alpha">Significance level after correction. Default 0.05.</param>
/// <param name="PermutationResamples">Permutation resamples. Default 10,000.</param>
/// <param name="BootstrapResamples">Bootstrap resamples. Default 10,000.</param>
/// <param name="Seed">Generator seed. Default 1.</param>
public sealed record RegressionCheckSpec(string Model, string Version, string Outcomes, string Predictions, ScoringRule Rule = ScoringRule.Brier, double Margin = 0, double Alpha = 0.05, long PermutationResamples = 10_000, long BootstrapResamples = 10_000, ulong Seed = 1) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.RegressionCheck;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.ResampleProblems(PermutationResamples, BootstrapResamples);
    }
}
