using Npgsql;
using NflCompute.Core.Jobs;
using NflCompute.Jobs.CompareModels;
using NflCompute.Jobs.DbPrune;
using NflCompute.Jobs.EloRatings;
using NflCompute.Jobs.EloSweep;
using NflCompute.Jobs.LoadGames;
using NflCompute.Jobs.NflCompare;
using NflCompute.Jobs.NflCompareSummary;
using NflCompute.Jobs.Noop;
using NflCompute.Jobs.RegressionCheck;
using NflCompute.Jobs.SeasonSim;
using NflCompute.Queue;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Games;
using NflCompute.Storage.Models;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;

namespace NflCompute.Jobs;

/// <summary>Every job kind a worker runs, wired to the grid's database.</summary>
public static class JobHandlers
{
    /// <summary>
    /// The registry of all built-in handlers of <paramref name="queue"/>'s grid, reading and writing
    /// through <paramref name="postgres"/> (datasets staged in Redis come through the queue), and the
    /// <paramref name="custom"/> handlers of kinds the grid does not ship (a modeler's own jobs).
    /// </summary>
    /// <exception cref="InvalidOperationException">A custom handler takes a built-in kind, or two take one kind.</exception>
    public static JobRegistry Create(NpgsqlDataSource postgres, TaskQueue queue, IReadOnlyCollection<IJobHandler>? custom = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var (games, datasets, models) = (new GameStore(postgres), new DatasetStore(postgres), new ModelStore(postgres));
        IJobHandler[] builtIn =
        [
            new NoopHandler(),
            new CompareModelsHandler(),
            new LoadGamesHandler(games, new DatasetResolver(datasets, queue)),
            new EloRatingsHandler(games, new EloRatingStore(postgres), datasets),
            new EloSweepHandler(games),
            new SeasonSimHandler(games),
            new NflCompareHandler(games, models),
            new NflCompareSummaryHandler(new ResultStore(postgres, queue.Options.Namespace), models),
            new RegressionCheckHandler(models),
            new DbPruneHandler(new HistoryPruner(postgres, queue.Options.Namespace)),
        ];
        custom ??= [];
        ThrowIfCustomTakesBuiltIn(custom);
        return Complete(new JobRegistry([.. builtIn, .. custom]), [.. custom.Select(h => h.Kind)]);
    }

    /// <summary>Refuses custom handlers that take a kind the grid ships; the worker host asks before it connects to anything.</summary>
    /// <exception cref="InvalidOperationException">One does; the message names the kinds.</exception>
    public static void ThrowIfCustomTakesBuiltIn(IEnumerable<IJobHandler> custom)
    {
        ArgumentNullException.ThrowIfNull(custom);
        var clashes = custom.Select(h => h.Kind).Where(JobKinds.Specs.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (clashes.Count > 0)
        {
            throw new InvalidOperationException($"A custom handler takes the built-in kind {string.Join(", ", clashes)}; give a custom job a kind of its own.");
        }
    }

    /// <summary>
    /// The registry, if it runs exactly the kinds the grid knows (JobKinds.Specs) and the
    /// <paramref name="customKinds"/> it was given: a kind added with no handler here, or a handler
    /// for no known kind, stops the worker at start instead of failing its tasks later.
    /// </summary>
    /// <exception cref="InvalidOperationException">The two lists differ; the message names each difference.</exception>
    public static JobRegistry Complete(JobRegistry registry, IReadOnlyCollection<string>? customKinds = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var known = JobKinds.Specs.Keys.Concat(customKinds ?? []).ToHashSet(StringComparer.Ordinal);
        var missing = JobKinds.Specs.Keys.Except(registry.Kinds, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = registry.Kinds.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var problems = (missing.Count > 0 ? ["no handler for " + string.Join(", ", missing) + " (register it in JobHandlers.Create)"] : Array.Empty<string>())
            .Concat(unknown.Count > 0 ? ["no spec for " + string.Join(", ", unknown) + " (add it to JobKinds.Specs, or pass it as a custom handler)"] : []);
        return missing.Count == 0 && unknown.Count == 0 ? registry : throw new InvalidOperationException(
            $"The worker's handlers do not match the grid's job kinds: {string.Join("; ", problems)}.");
    }
}
