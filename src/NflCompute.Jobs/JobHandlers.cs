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
        return new JobRegistry(
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
        ]);
    }
}
