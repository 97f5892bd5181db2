using System.Diagnostics;
using System.Text.Json;
using NflCompute.Storage.Tests;

namespace NflCompute.Cli.Tests;

/// <summary>
/// The README's first command, in --quick mode: two worker processes, every NFL job, a report; on
/// a grid whose workers hold only nflc_worker and the grid's Redis worker user, and whose
/// dashboard reads as nflc_reader.
/// </summary>
public sealed class DemoTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TheQuickDemo_RunsEveryJobThroughTwoLeastPrivilegedWorkers_AndReportsTheFigures()
    {
        await using var db = await postgres.NewDatabaseAsync();
        var redisPasswords = Path.Combine(Path.GetTempPath(), "nflc-demo-redis-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string>
        {
            ["NFLC_Roles__WorkerPasswordFile"] = postgres.Roles.WorkerPasswordFile!,
            ["NFLC_Roles__ReaderPasswordFile"] = postgres.Roles.ReaderPasswordFile!,
            ["NFLC_Roles__RedisPasswordsDir"] = redisPasswords,
            ["NFLC_Postgres__Host"] = postgres.Superuser.Host,
            ["NFLC_Postgres__Port"] = postgres.Superuser.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NFLC_Postgres__PasswordFile"] = postgres.Superuser.PasswordFile!,
            ["NFLC_Postgres__SslMode"] = "Disable",
            ["NFLC_Postgres__Database"] = PostgresServer.DatabaseOf(db),
            ["NFLC_Redis__Configuration"] = NflCompute.Queue.Tests.RedisServer.Endpoint,
            ["NFLC_Queue__Namespace"] = "demo-" + Guid.NewGuid().ToString("N")[..8],
        };

        var reportFile = Path.Combine(Path.GetTempPath(), "nflc-demo-report-" + Guid.NewGuid().ToString("N")[..8] + ".html");
        var run = await Nflc.RunAsync(environment, "demo", "--quick", "--no-servers", "--json", "--report", reportFile);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = JsonDocument.Parse(run.Stdout).RootElement;
        var steps = report.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(16, steps.Count); // load, 2 x Elo, sweep, simulation, 3 seasons + pool + summary, 2 regression checks, the nightly chain's 3, the history prune
        Assert.All(steps, s => Assert.StartsWith("demo-worker-", s.GetProperty("worker").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, report.GetProperty("workers").GetArrayLength());
        var results = report.GetProperty("results");
        Assert.Equal(7263, results.GetProperty("load-games").GetProperty("rows").GetInt32());
        Assert.Equal(32, results.GetProperty("season-sim").GetProperty("teams").GetArrayLength());
        Assert.Equal(27, results.GetProperty("elo-sweep").GetProperty("combinations").GetInt32());
        Assert.Equal(1, results.GetProperty("regression-check-v2").GetProperty("regressions").GetInt32());

        // The nightly schedule's chain ran in order, its check on the datasets its ratings step made:
        // 538's Elo is v1-classic again, so no regression against v1 and v2.
        Assert.Equal(["load-games", "elo-ratings", "regression-check", "db-prune"], steps[^4..].Select(s => s.GetProperty("kind").GetString()));
        var nightly = results.GetProperty("nightly");
        Assert.Equal((0, 2), (nightly.GetProperty("regressions").GetInt32(), nightly.GetProperty("comparisons").GetArrayLength()));

        // The report holds every step's result as Postgres has it.
        var html = await File.ReadAllTextAsync(reportFile);
        File.Delete(reportFile);
        var reported = JsonDocument.Parse(html.Split("<script type=\"application/json\" id=\"report-data\">")[1].Split("</script>")[0]).RootElement;
        Assert.Equal(steps.Select(s => s.GetProperty("taskId").GetString()), reported.EnumerateArray().Select(r => r.GetProperty("taskId").GetString()));
        var store = new NflCompute.Storage.Results.ResultStore(db, environment["NFLC_Queue__Namespace"]);
        foreach (var r in reported.EnumerateArray())
        {
            var stored = await store.ReadAsync(r.GetProperty("taskId").GetString()!);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(stored!.Value.ResultJson), System.Text.Json.Nodes.JsonNode.Parse(r.GetProperty("result").GetRawText())));
        }

        // The built-in prune ran on a worker as nflc_worker, by the 90 days the demo set: nothing is that old.
        var prune = results.GetProperty("db-prune");
        Assert.Equal((90.0, 0), (prune.GetProperty("keepDays").GetDouble(), prune.GetProperty("tasks").GetInt32()));

        // Every result was written under the workers' own login, and they logged in to Redis as the grid's worker user.
        await using (var audit = db.CreateCommand("SELECT string_agg(DISTINCT db_user::text, ',') FROM result_writes"))
        {
            Assert.Equal("nflc_worker", (string?)await audit.ExecuteScalarAsync());
        }

        var log = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), ".local", "demo-worker-1.log"));
        Assert.Contains($"user={NflCompute.Queue.Redis.RedisRoles.UserOf("worker", environment["NFLC_Queue__Namespace"])}", log, StringComparison.Ordinal);

        // The dashboard, as nflc_reader, shows the demo's tasks.
        var port = FreePort();
        using var dashboard = Process.Start(DashboardStart(environment, port))!;
        try
        {
            using var http = new HttpClient();
            var tasks = await EventuallyAsync(async () =>
            {
                try
                {
                    return JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/tasks"))).RootElement.GetArrayLength();
                }
                catch (HttpRequestException)
                {
                    return (int?)null;
                }
            });
            Assert.Equal(Math.Min(50, steps.Count), tasks);
        }
        finally
        {
            dashboard.Kill(entireProcessTree: true);
            Directory.Delete(redisPasswords, recursive: true);
        }
    }

    private static ProcessStartInfo DashboardStart(Dictionary<string, string> environment, int port)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "nflc.dll"), "dashboard", "--url", $"http://127.0.0.1:{port}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : struct
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    // The demo writes its workers' logs into the checkout's .local/.
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NflCompute.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests run inside the NflCompute checkout.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
