using System.Text.Json;
using NflCompute.Core;
using NflCompute.Jobs.EloRatings;
using NflCompute.Jobs.EloSweep;
using NflCompute.Jobs.LoadGames;
using NflCompute.Jobs.NflCompare;
using NflCompute.Jobs.NflCompareSummary;
using NflCompute.Jobs.RegressionCheck;
using NflCompute.Jobs.SeasonSim;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>Every NFL job through the grid: submitted, claimed by a worker, run, persisted.</summary>
[Collection(RedisCollection.Name)]
public sealed class NflJobsEndToEndTests(RedisServer redis, PostgresServer postgres) : GridTestBase(redis, postgres, "nfl-")
{
    private InProcessWorker _worker = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _worker = InProcessWorker.Start(Queue, Db, "nfl-worker");
    }

    public override async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<JsonElement> RunAsync(string kind, object payload, IReadOnlyList<string>? dependsOn = null)
    {
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = kind, Payload = JsonSerializer.Serialize(payload), DependsOn = dependsOn ?? [] })).Id;
        return await ResultOfAsync(id);
    }

    private async Task<JsonElement> ResultOfAsync(string id)
    {
        var done = await Queue.WaitAsync(id, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200));
        Assert.True(done.State == TaskState.Completed, $"{done.State}: {done.Error}");
        var stored = await new ResultStore(Db, Queue.Options.Namespace).ReadAsync(id);
        return JsonDocument.Parse(stored!.Value.ResultJson).RootElement;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<TaskInfo> FailedAsync(string kind, object payload)
    {
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = kind, Payload = JsonSerializer.Serialize(payload), MaxAttempts = 5 })).Id;
        var done = await Queue.WaitAsync(id, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200));
        Assert.True((done.State, done.Attempts) == (TaskState.Failed, 1), $"{done.State} after {done.Attempts} attempts: {done.Error}");
        return done;
    }

    [Fact]
    public async Task InputErrors_EndInTheDlqAfterOneAttempt_WithAReasonThatNamesTheProblem()
    {
        var noGames = await FailedAsync(EloRatingsHandler.TaskKind, new { });
        var headerless = await FailedAsync(LoadGamesHandler.TaskKind, new { file = await new DatasetStore(Db).PutTextAsync("1999_01_ARI_PHI,1999,REG,1,1999-09-12,ARI,25,PHI,24,1\n", "games") });
        await RunAsync(LoadGamesHandler.TaskKind, new { });
        var tooEarly = await FailedAsync(EloRatingsHandler.TaskKind, new { fromSeason = 1980, toSeason = 1990 });

        Assert.Contains("no games are loaded; run a load-games task first.", noGames.Error, StringComparison.Ordinal);
        Assert.Contains("The games file's header (line 1) names column '1' twice; is the header missing?", headerless.Error, StringComparison.Ordinal);
        Assert.Contains("no games through season 1990: the loaded games cover seasons 1999-2025.", tooEarly.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadGames_LoadsTheShippedFile_AndLoadingTwiceChangesNothing_WhileBadRowsAreQuarantined()
    {
        var first = await RunAsync(LoadGamesHandler.TaskKind, new { });
        var second = await RunAsync(LoadGamesHandler.TaskKind, new { });
        var csv = "game_id,season,game_type,week,gameday,away_team,away_score,home_team,home_score,location\n"
            + "2023_01_DET_KC,2023,REG,1,2023-09-07,DET,21,KC,20,Home\n" // the same as the shipped row: unchanged
            + "2023_01_XXX_KC,2023,REG,1,2023-09-07,XXX,21,KC,20,Home\n";
        var file = await new DatasetStore(Db).PutTextAsync(csv, "games-csv");
        var user = await RunAsync(LoadGamesHandler.TaskKind, new { file, source = "user.csv" });

        Assert.Equal((7263, 0, 0, 0), (first.GetProperty("new").GetInt32(), first.GetProperty("changed").GetInt32(), first.GetProperty("unchanged").GetInt32(), first.GetProperty("quarantined").GetInt32()));
        Assert.Equal((0, 0, 7263), (second.GetProperty("new").GetInt32(), second.GetProperty("changed").GetInt32(), second.GetProperty("unchanged").GetInt32()));
        Assert.Equal(7263L, await ScalarAsync<long>("SELECT count(*) FROM games"));
        Assert.Equal((0, 1, 1), (user.GetProperty("new").GetInt32(), user.GetProperty("unchanged").GetInt32(), user.GetProperty("quarantined").GetInt32()));
        Assert.Equal("user.csv:3:away_team:unknown team code 'XXX'", await ScalarAsync<string>("SELECT source || ':' || line || ':' || column_name || ':' || reason FROM games_quarantine"));
    }

    [Fact]
    public async Task TheNflJobs_RunThroughTheGrid_AndPersistTheirFigures()
    {
        await RunAsync(LoadGamesHandler.TaskKind, new { });

        var ratings = await RunAsync(EloRatingsHandler.TaskKind, new { fromSeason = 2006, toSeason = 2021 });
        Assert.Equal(ratings.GetProperty("games").GetInt32(), (int)await ScalarAsync<long>("SELECT count(*) FROM elo_ratings"));
        Assert.Equal("2006-2021", await ScalarAsync<string>("SELECT min(season) || '-' || max(season) FROM elo_ratings"));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM datasets WHERE dataset_id = '{ratings.GetProperty("datasets").GetProperty("homeWinProbability").GetString()}'"));

        var sweep = await RunAsync(EloSweepHandler.TaskKind, new { k = new[] { 15.0, 20, 25 }, homeEdge = new[] { 45.0, 65 }, reversion = new[] { 1.0 / 3 }, toSeason = 2021 });
        Assert.Equal(6, sweep.GetProperty("surface").GetArrayLength());
        var classic = sweep.GetProperty("classic");
        var same = sweep.GetProperty("surface").EnumerateArray().Single(s => s.GetProperty("k").GetDouble() == 20 && s.GetProperty("homeEdge").GetDouble() == 65);
        Assert.Equal(classic.GetProperty("brier").GetDouble(), same.GetProperty("brier").GetDouble(), 1e-9); // the sweep's vector exp vs the engine's Math.Pow
        Assert.True(sweep.GetProperty("bestByBrier").GetProperty("brier").GetDouble() <= classic.GetProperty("brier").GetDouble());

        var sim = await RunAsync(SeasonSimHandler.TaskKind, new { season = 2025, simulations = 20_000 });
        Assert.Equal(13, sim.GetProperty("afterWeek").GetInt32());
        Assert.Equal(32, sim.GetProperty("teams").GetArrayLength());
        Assert.Equal(14, sim.GetProperty("teams").EnumerateArray().Sum(t => t.GetProperty("playoffs").GetDouble()), 9);

        // One task per season, one pooled, and a summary that waits for them.
        var seasons = new List<string>();
        foreach (var season in new[] { 2019, 2020, 2021 })
        {
            seasons.Add((await Queue.SubmitAsync(new TaskSubmission { Kind = NflCompareHandler.TaskKind, Payload = JsonSerializer.Serialize(new { fromSeason = season, permutationResamples = 2000, bootstrapResamples = 2000 }) })).Id);
        }

        var pooled = await RunAsync(NflCompareHandler.TaskKind, new { fromSeason = 2006, toSeason = 2021, permutationResamples = 2000, bootstrapResamples = 2000 });
        var summary = await RunAsync(NflCompareSummaryHandler.TaskKind, new { tasks = seasons }, seasons);
        var market = pooled.GetProperty("rules").GetProperty("brier").EnumerateArray().Single(m => m.GetProperty("model").GetString() == "market");
        Assert.Equal(4145, pooled.GetProperty("games").GetInt32());
        Assert.Equal(0.2114, market.GetProperty("meanLoss").GetDouble(), 4);
        Assert.Equal(12, summary.GetProperty("bySeason").GetArrayLength());
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM model_metrics WHERE metric = 'brier' AND season IS NULL"));
        Assert.Equal(6L, await ScalarAsync<long>("SELECT count(*) FROM model_metrics WHERE metric = 'brier-holm-p'"));
    }

    [Fact]
    public async Task RegressionCheck_RecordsAWorseVersion_WithItsEvidence_AndNotABetterOne()
    {
        await RunAsync(LoadGamesHandler.TaskKind, new { });
        var games = await new Storage.Games.GameStore(Db).ReadAsync(1999, 2021);
        var (y, elo, market, homeRate) = NflCompareHandler.Forecast(games, 2006, 2021);
        var datasets = new DatasetStore(Db);
        var outcomes = await datasets.PutAsync(y, "home-win");
        async Task<JsonElement> CheckAsync(string version, double[] predictions) => await RunAsync(RegressionCheckHandler.TaskKind, new
        {
            model = "house", version, outcomes, predictions = await datasets.PutAsync(predictions, "predictions"), margin = 0.001, permutationResamples = 5000, bootstrapResamples = 2000,
        });

        var v1 = await CheckAsync("v1", market);
        var v2 = await CheckAsync("v2", elo);
        var v3 = await CheckAsync("v3", homeRate);
        var v4 = await CheckAsync("v4", market);

        Assert.Equal(0, v1.GetProperty("regressions").GetInt32()); // nothing to compare with
        Assert.Equal(1, v2.GetProperty("regressions").GetInt32()); // worse than v1, its previous and best
        Assert.Equal(2, v3.GetProperty("regressions").GetInt32()); // worse than v2 (previous) and v1 (best)
        Assert.Equal(0, v4.GetProperty("regressions").GetInt32()); // better than v3, level with v1
        Assert.Equal("v3 vs v1", await ScalarAsync<string>("SELECT version || ' vs ' || compared_to FROM regressions ORDER BY difference DESC LIMIT 1"));
        Assert.True(await ScalarAsync<bool>("SELECT bool_and(adjusted_p < 0.05 AND difference > 0.001 AND evidence ? 'bcaLow') FROM regressions"));
    }
}
