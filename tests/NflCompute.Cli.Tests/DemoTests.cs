using System.Text.Json;
using NflCompute.Storage.Tests;

namespace NflCompute.Cli.Tests;

/// <summary>The README's first command, in --quick mode: two worker processes, every NFL job, a report.</summary>
public sealed class DemoTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TheQuickDemo_RunsEveryJobThroughTwoWorkers_AndReportsTheFigures()
    {
        await using var db = await postgres.NewDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["NFLC_Postgres__Host"] = postgres.Superuser.Host,
            ["NFLC_Postgres__Port"] = postgres.Superuser.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NFLC_Postgres__PasswordFile"] = postgres.Superuser.PasswordFile!,
            ["NFLC_Postgres__SslMode"] = "Disable",
            ["NFLC_Postgres__Database"] = PostgresServer.DatabaseOf(db),
            ["NFLC_Redis__Configuration"] = NflCompute.Queue.Tests.RedisServer.Endpoint,
            ["NFLC_Queue__Namespace"] = "demo-" + Guid.NewGuid().ToString("N")[..8],
        };

        var run = await Nflc.RunAsync(environment, "demo", "--quick", "--no-servers", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = JsonDocument.Parse(run.Stdout).RootElement;
        var steps = report.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(12, steps.Count); // load, 2 x Elo, sweep, simulation, 3 seasons + pool + summary, 2 regression checks
        Assert.All(steps, s => Assert.StartsWith("demo-worker-", s.GetProperty("worker").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, report.GetProperty("workers").GetArrayLength());
        var results = report.GetProperty("results");
        Assert.Equal(7263, results.GetProperty("load-games").GetProperty("rows").GetInt32());
        Assert.Equal(32, results.GetProperty("season-sim").GetProperty("teams").GetArrayLength());
        Assert.Equal(27, results.GetProperty("elo-sweep").GetProperty("combinations").GetInt32());
        Assert.Equal(1, results.GetProperty("regression-check-v2").GetProperty("regressions").GetInt32());
    }
}
