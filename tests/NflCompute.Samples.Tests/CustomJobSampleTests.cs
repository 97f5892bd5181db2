using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Tests;
using NflCompute.Worker.Tests;
using Samples.CustomJob;

namespace NflCompute.Samples.Tests;

/// <summary>samples/CustomJob: a job kind of the modeler's own, run by the sample's own worker process beside the built-in kinds.</summary>
public sealed class CustomJobSampleTests(PostgresServer postgres) : SampleGrid(postgres, "sample-custom-")
{
    private RunningWorker StartSampleWorker() =>
        RunningWorker.StartProgram(RunningWorker.BuiltProgram("samples/CustomJob", "CustomJob"), ["worker"], Postgres, RedisServer.Endpoint, Options.Queue.Namespace, PostgresServer.DatabaseOf(Db),
            ("NFLC_Worker__Device", "cpu"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{RunningWorker.FreePort()}"));

    [Fact]
    public async Task TheSampleWorker_RunsTheCustomKind_OnARealSeason_AndTheBuiltInKindsToo()
    {
        using var worker = StartSampleWorker();
        var games = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "../../../../../src/NflCompute.Jobs/Nfl/Data/games.csv"));
        var outcomes = HomeOutcomes.FromGamesCsv(games, 2024);

        var rate = await HomeWinRateClient.RunAsync(Grid, outcomes, TimeSpan.FromMinutes(2));
        var noop = await Grid.WaitAsync(await Grid.SubmitAsync(new NflCompute.Core.Jobs.NoopSpec()), TimeSpan.FromMinutes(1));
        // The same job from its kind and JSON alone (what `nflc submit home-win-rate --custom` sends).
        var untyped = NflCompute.Core.Jobs.CustomJobSpec.Parse(HomeWinRateSpec.KindName, $$"""{"outcomes": "{{await Grid.UploadAsync(outcomes)}}"}""");
        var again = await Grid.WaitAsync<HomeWinRate>(await Grid.SubmitAsync(untyped), TimeSpan.FromMinutes(1));

        // 2024's regular season: 272 games, no ties, 145 home wins (counted from the file apart from the sample).
        Assert.Equal((272, 145), (rate.Games, rate.Wins));
        Assert.Equal(145 / 272.0, rate.Rate, 15);
        Assert.True(rate.Low < rate.Rate && rate.Rate < rate.High, $"{rate}");
        Assert.Equal(TaskState.Completed, noop.Info!.State);
        Assert.Equal(rate, again);
    }

    [Fact]
    public void TheWilsonInterval_MatchesItsTextbookValue()
    {
        // 5 of 10 at 95%: 0.2366 .. 0.7634 (Wilson 1927; Agresti and Coull 1998, table 1).
        var rate = HomeWinRateHandler.Wilson(5, 10);

        Assert.Equal((0.2366, 0.7634), (Math.Round(rate.Low, 4), Math.Round(rate.High, 4)));
    }

    [Fact]
    public async Task AnOutcomeThatIsNotZeroOrOne_SendsTheTaskToTheDlq_NamingTheGame()
    {
        using var worker = StartSampleWorker();

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => HomeWinRateClient.RunAsync(Grid, [1, 0, 0.5], TimeSpan.FromMinutes(2)));

        Assert.Contains("payload.outcomes[2] is 0.5", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Grid.DeadLettersAsync()).Total);
    }
}
