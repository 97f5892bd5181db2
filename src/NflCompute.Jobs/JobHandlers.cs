using Npgsql;
using NflCompute.Jobs.CompareModels;
using NflCompute.Jobs.Nfl;
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
    /// <summary>The registry of all handlers of <paramref name="queue"/>'s grid, reading and writing through <paramref name="postgres"/>; datasets staged in Redis come through the queue.</summary>
    public static JobRegistry Create(NpgsqlDataSource postgres, TaskQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var (games, datasets, models) = (new GameStore(postgres), new DatasetStore(postgres), new ModelStore(postgres));
        return Complete(new JobRegistry(
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
        ]));
    }

    /// <summary>
    /// The registry, if it runs exactly the kinds the grid knows (JobKinds.Specs): a kind added with
    /// no handler here, or a handler for no known kind, stops the worker at start instead of
    /// failing its tasks later.
    /// </summary>
    /// <exception cref="InvalidOperationException">The two lists differ; the message names each difference.</exception>
    public static JobRegistry Complete(JobRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var missing = Core.Jobs.JobKinds.Specs.Keys.Except(registry.Kinds, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = registry.Kinds.Except(Core.Jobs.JobKinds.Specs.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return missing.Count == 0 && unknown.Count == 0 ? registry : throw new InvalidOperationException(
            $"The worker's handlers do not match the grid's job kinds: {(missing.Count > 0 ? "no handler for " + string.Join(", ", missing) + " (register it in JobHandlers.Create)" : "")}{(missing.Count > 0 && unknown.Count > 0 ? "; " : "")}{(unknown.Count > 0 ? "no spec for " + string.Join(", ", unknown) + " (add it to JobKinds.Specs)" : "")}.");
    }
}
