using Npgsql;
using NflCompute.Jobs.CompareModels;
using NflCompute.Jobs.Nfl;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Games;
using NflCompute.Storage.Models;
using NflCompute.Storage.Results;

namespace NflCompute.Jobs;

/// <summary>Every job kind a worker runs, wired to the grid's database.</summary>
public static class JobHandlers
{
    /// <summary>The registry of all handlers, reading and writing through <paramref name="postgres"/>.</summary>
    public static JobRegistry Create(NpgsqlDataSource postgres)
    {
        var (games, datasets, models) = (new GameStore(postgres), new DatasetStore(postgres), new ModelStore(postgres));
        return new JobRegistry(
        [
            new NoopHandler(),
            new CompareModelsHandler(),
            new LoadGamesHandler(games, datasets),
            new EloRatingsHandler(games, new EloRatingStore(postgres), datasets),
            new EloSweepHandler(games),
            new SeasonSimHandler(games),
            new NflCompareHandler(games, models),
            new NflCompareSummaryHandler(new ResultStore(postgres), models),
            new RegressionCheckHandler(models),
        ]);
    }
}
