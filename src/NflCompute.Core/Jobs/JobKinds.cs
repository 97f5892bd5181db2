namespace NflCompute.Core.Jobs;

/// <summary>Every task kind the grid's workers run.</summary>
public static class JobKinds
{
    /// <summary>Does nothing: measures the grid's own overhead.</summary>
    public const string Noop = "noop";

    /// <summary>Models against a baseline on the statistics engine.</summary>
    public const string CompareModels = "compare-models";

    /// <summary>A games CSV into Postgres.</summary>
    public const string LoadGames = "load-games";

    /// <summary>Classic 538 Elo over the loaded games.</summary>
    public const string EloRatings = "elo-ratings";

    /// <summary>An Elo parameter sweep scored by Brier and log loss.</summary>
    public const string EloSweep = "elo-sweep";

    /// <summary>Monte Carlo of the rest of a season.</summary>
    public const string SeasonSim = "season-sim";

    /// <summary>Elo vs market vs home rate on real games.</summary>
    public const string NflCompare = "nfl-compare";

    /// <summary>Holm across the seasons of a batch of nfl-compare tasks.</summary>
    public const string NflCompareSummary = "nfl-compare-summary";

    /// <summary>A model version against its previous and best versions.</summary>
    public const string RegressionCheck = "regression-check";

    /// <summary>The grid's task history pruned by the retention its owner set (the built-in db-prune schedule).</summary>
    public const string DbPrune = "db-prune";

    /// <summary>The spec type of each kind, for tools that take a kind and a JSON payload.</summary>
    public static IReadOnlyDictionary<string, Type> Specs { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [Noop] = typeof(NoopSpec),
        [CompareModels] = typeof(CompareModelsSpec),
        [LoadGames] = typeof(LoadGamesSpec),
        [EloRatings] = typeof(EloRatingsSpec),
        [EloSweep] = typeof(EloSweepSpec),
        [SeasonSim] = typeof(SeasonSimSpec),
        [NflCompare] = typeof(NflCompareSpec),
        [NflCompareSummary] = typeof(NflCompareSummarySpec),
        [RegressionCheck] = typeof(RegressionCheckSpec),
        [DbPrune] = typeof(DbPruneSpec),
    };
}
