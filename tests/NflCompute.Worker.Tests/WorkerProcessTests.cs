using System.Diagnostics;
using System.Text.Json;
using NflCompute.Core;
using NflCompute.Jobs.CompareModels;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>The worker as the process operators run, configured only through NFLC_* variables.</summary>
[Collection(RedisCollection.Name)]
public sealed class WorkerProcessTests(RedisServer redis, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TheWorkerProcess_RunsATask_ThenStopsCleanlyOnSigterm()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var ns = "wproc-" + Guid.NewGuid().ToString("N")[..8];
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns });
        await queue.ConfigureAsync();
        var datasets = new DatasetStore(db);
        double[] y = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1];
        var payload = JsonSerializer.Serialize(new
        {
            outcomes = await datasets.PutAsync(y, "outcomes"),
            baseline = await datasets.PutAsync(y.Select(_ => 0.5).ToArray(), "predictions"),
            models = new[] { new { name = "sharp", predictions = await datasets.PutAsync(y.Select(v => v == 1 ? 0.8 : 0.2).ToArray(), "predictions") } },
            permutationResamples = 5000,
            bootstrapResamples = 2000,
        });
        var port = FreePort();
        using var worker = StartWorker(ns, PostgresServer.DatabaseOf(db), ("NFLC_Worker__WorkerId", "proc-worker"), ("NFLC_Worker__Device", "cpu"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{port}"));

        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload, CorrelationId = "corr-proc" })).Id;
        var done = await queue.WaitAsync(id, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200));
        Assert.Equal(TaskState.Completed, done.State);
        Assert.Equal(1, (await queue.GetCountsAsync()).Workers);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var healthReport = await health.Content.ReadAsStringAsync();
        Assert.True(health.IsSuccessStatusCode, healthReport);
        Assert.Contains("\"redis\":\"ok\"", healthReport, StringComparison.Ordinal);
        Assert.Contains("\"postgres\":\"ok\"", healthReport, StringComparison.Ordinal);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("nflc_tasks_total{kind=\"compare-models\",outcome=\"completed\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("nflc_task_duration_seconds_count{device=\"CpuSimd\",kind=\"compare-models\"} 1", metrics, StringComparison.Ordinal);
        await PromtoolAcceptsAsync(metrics);

        using (var term = Process.Start("kill", ["-TERM", worker.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, worker.Process.ExitCode);
        Assert.Equal(0, (await queue.GetCountsAsync()).Workers);
        var logs = worker.Output.ToString();
        Assert.Contains("\"TaskId\":\"" + id + "\"", logs, StringComparison.Ordinal);
        Assert.Contains("\"CorrelationId\":\"corr-proc\"", logs, StringComparison.Ordinal);
        Assert.Contains("Device chosen (cpu)", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllText(postgres.Superuser.PasswordFile!).Trim(), logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerKilledMidTask_LosesIt_ToAnotherWorker_WhichCompletesItOnce()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var ns = "wkill-" + Guid.NewGuid().ToString("N")[..8];
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns });
        await queue.ConfigureAsync();
        var datasets = new DatasetStore(db);
        var slow = await SlowComparisonAsync(datasets);
        (string, string)[] shortLease = [("NFLC_Worker__Lease", "00:00:04"), ("NFLC_Worker__RegistrationTtl", "00:00:03"), ("NFLC_Worker__RecoveryInterval", "00:00:01"), ("NFLC_Worker__Device", "cpu")];
        using var doomed = StartWorker(ns, PostgresServer.DatabaseOf(db), [.. shortLease, ("NFLC_Worker__WorkerId", "doomed")]);
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = slow })).Id;
        await Eventually.TrueAsync(async () => (await queue.GetAsync(id))?.State == TaskState.Running, TimeSpan.FromSeconds(60));

        doomed.Process.Kill(entireProcessTree: true); // SIGKILL: no goodbye, no hand-back
        await doomed.Process.WaitForExitAsync();
        using var survivor = StartWorker(ns, PostgresServer.DatabaseOf(db), [.. shortLease, ("NFLC_Worker__WorkerId", "survivor")]);
        var done = await queue.WaitAsync(id, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(500));

        Assert.True((TaskState.Completed, 2, "survivor") == (done.State, done.Attempts, done.Worker), $"{done.State} after {done.Attempts} attempts on {done.Worker}: {done.Error}; history: {await TestData.ScalarAsync<string>(db, $"SELECT string_agg(attempt || ':' || worker_id || ':' || status || ':' || coalesce(error, ''), ' | ' ORDER BY attempt) FROM task_attempts WHERE task_id = '{id}'")}");
        Assert.Equal(1L, await TestData.ScalarAsync<long>(db, $"SELECT count(*) FROM results WHERE task_id = '{id}'"));
        // An attempt is recorded when it ends; one whose worker died is known only from the next.
        Assert.Equal("1:unknown:lost, 2:survivor:completed", await TestData.ScalarAsync<string>(db, $"SELECT string_agg(attempt || ':' || worker_id || ':' || status, ', ' ORDER BY attempt) FROM task_attempts WHERE task_id = '{id}'"));
        Assert.Equal(2L, await TestData.ScalarAsync<long>(db, $"SELECT fencing_token >> 32 FROM results WHERE task_id = '{id}'")); // written by attempt 2
    }

    [Fact]
    public async Task Auto_LogsTheDeviceItChoseAndWhy()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var ns = "wdev-" + Guid.NewGuid().ToString("N")[..8];
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns });
        await queue.ConfigureAsync();

        using var auto = StartWorker(ns, PostgresServer.DatabaseOf(db), ("NFLC_Worker__Device", "auto"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{FreePort()}"));
        await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).Workers == 1, TimeSpan.FromSeconds(60));
        Assert.Contains("Device chosen (auto): cpu, no CUDA or OpenCL GPU, the SIMD CPU backend (present: cpu, ilgpu-cpu)", auto.Output.ToString(), StringComparison.Ordinal);
        using (var term = Process.Start("kill", ["-TERM", auto.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        await auto.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, auto.Process.ExitCode);
    }

    public static TheoryData<string, string, int, string> UnrunnableWorkers => new()
    {
        { "Redis unreachable", "NFLC_Redis__Configuration=127.0.0.1:1,connectTimeout=300", 4, "a server stayed unreachable: Cannot connect to Redis at 127.0.0.1:1" },
        { "wrong Postgres password", "NFLC_Postgres__PasswordFile=WRONG_PASSWORD_FILE", 1, "Postgres refused: password authentication failed for user \"nflc_worker\" (28P01)" },
        { "absent device", "NFLC_Worker__Device=cuda:3", 3, "Device 'cuda:3' is not present. Present: cpu = " },
        { "unknown class", "NFLC_Worker__Classes__0=tpu", 3, "WorkerOptions.Classes has 'tpu', which is not one of the grid's classes (gpu-high, gpu, cpu; Queue:Classes)." },
        { "schema not migrated", "NFLC_Worker__Device=cpu", 3, "migrations are pending (0001_schema, 0002_roles" },
        { "grid not configured", "NFLC_Worker__Device=cpu", 3, "is not configured in Redis. Run `nflc grid configure`" },
    };

    [Theory]
    [MemberData(nameof(UnrunnableWorkers))]
    public async Task AWorkerThatCannotRun_ExitsNonZero_WithOneLineSayingWhy(string what, string setting, int exitCode, string reason)
    {
        await using var db = await postgres.NewDatabaseAsync();
        if (what != "schema not migrated")
        {
            await new MigrationRunner(db).MigrateAsync();
        }

        var ns = "wbad-" + Guid.NewGuid().ToString("N")[..8];
        if (what != "grid not configured")
        {
            await new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns }).ConfigureAsync();
        }

        var wrongPassword = Path.GetTempFileName();
        await File.WriteAllTextAsync(wrongPassword, "not-the-password");
        var (name, value) = (setting.Split('=', 2)[0], setting.Split('=', 2)[1].Replace("WRONG_PASSWORD_FILE", wrongPassword, StringComparison.Ordinal));

        using var worker = StartWorker(ns, PostgresServer.DatabaseOf(db), (name, value), ("NFLC_Worker__StartupPatience", "00:00:01"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{FreePort()}"));
        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        File.Delete(wrongPassword);

        Assert.True(exitCode == worker.Process.ExitCode, $"{what}: exit code {worker.Process.ExitCode}, not {exitCode}");
        var line = worker.Output.ToString().Split('\n').Single(l => l.StartsWith("nflc-worker: ", StringComparison.Ordinal));
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal(0, (await new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns }).GetCountsAsync()).Workers);
    }

    [Fact]
    public async Task AWorker_ChecksItsSettingsAgainstTheGrids_WarnsWhereTheyDiffer_AndNeverRewritesThem()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var ns = "wcfg-" + Guid.NewGuid().ToString("N")[..8];
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns, MaxAttempts = 4 });
        await queue.ConfigureAsync();

        using var worker = StartWorker(ns, PostgresServer.DatabaseOf(db), ("NFLC_Queue__MaxAttempts", "9"), ("NFLC_Worker__Device", "cpu"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{FreePort()}"));
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        Assert.Equal(TaskState.Completed, (await queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100))).State);

        Assert.Contains("max_attempts: the grid has 4, this process 9", worker.Output.ToString(), StringComparison.Ordinal);
        Assert.Empty(await queue.ConfigurationDifferencesAsync()); // the grid keeps its 4
        using (var term = Process.Start("kill", ["-TERM", worker.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AWorkerStartedWhileRedisAndPostgresAreDown_WaitsForThem_ThenRunsTasks()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var ns = "wwait-" + Guid.NewGuid().ToString("N")[..8];
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns });
        await queue.ConfigureAsync();
        var redisPort = int.Parse(RedisServer.Endpoint.Split(',')[0].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        await using var redisGate = new TcpGate(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, redisPort));
        await using var postgresGate = new TcpGate(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, postgres.Superuser.Port));
        redisGate.Close();
        postgresGate.Close();

        using var worker = StartWorker(ns, PostgresServer.DatabaseOf(db),
            ("NFLC_Redis__Configuration", $"127.0.0.1:{redisGate.Port},connectTimeout=500"), ("NFLC_Postgres__Port", postgresGate.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("NFLC_Worker__StartupPatience", "00:01:00"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{FreePort()}"));
        await Eventually.TrueAsync(() => Task.FromResult(worker.Output.ToString().Contains("Waiting", StringComparison.Ordinal) && worker.Output.ToString().Contains("Cannot connect to Redis", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        redisGate.Open();
        await Eventually.TrueAsync(() => Task.FromResult(worker.Output.ToString().Contains($"Failed to connect to 127.0.0.1:{postgresGate.Port}", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        Assert.False(worker.Process.HasExited);
        postgresGate.Open();

        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        var done = await queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        Assert.Equal(TaskState.Completed, done.State);
        using (var term = Process.Start("kill", ["-TERM", worker.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, worker.Process.ExitCode);
    }

    [Theory]
    [InlineData("00:01:00", "1:leaver:completed")] // the grace period is long enough: the tasks finish
    [InlineData("00:00:01", "1:leaver:released, 2:successor:completed")] // it is not: they are handed back
    public async Task SigtermDuringWork_FinishesOrHandsBackInFlightTasks_NoneLost(string gracePeriod, string expectedHistory)
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var ns = "wterm-" + Guid.NewGuid().ToString("N")[..8];
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = ns });
        await queue.ConfigureAsync();
        var slow = await SlowComparisonAsync(new DatasetStore(db));
        using var leaver = StartWorker(ns, PostgresServer.DatabaseOf(db), ("NFLC_Worker__WorkerId", "leaver"), ("NFLC_Worker__Device", "cpu"), ("NFLC_Worker__GracePeriod", gracePeriod));
        var ids = (await queue.SubmitBatchAsync([
            new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = slow },
            new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = slow }])).Select(r => r.Id).ToList();
        await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).Running == 2, TimeSpan.FromSeconds(60));

        using (var term = Process.Start("kill", ["-TERM", leaver.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        await leaver.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, leaver.Process.ExitCode);
        using var successor = StartWorker(ns, PostgresServer.DatabaseOf(db), ("NFLC_Worker__WorkerId", "successor"), ("NFLC_Worker__Device", "cpu"));
        foreach (var id in ids)
        {
            var done = await queue.WaitAsync(id, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(500));
            Assert.Equal(TaskState.Completed, done.State);
            Assert.Equal(1L, await TestData.ScalarAsync<long>(db, $"SELECT count(*) FROM results WHERE task_id = '{id}'"));
            var history = await TestData.ScalarAsync<string>(db, $"SELECT string_agg(attempt || ':' || worker_id || ':' || status, ', ' ORDER BY attempt) FROM task_attempts WHERE task_id = '{id}'");
            Assert.True(expectedHistory == history, $"{id}: {history}, not {expectedHistory}. The leaver's output:\n{leaver.Output}");
        }
    }

    // A comparison that takes seconds (8e9 bootstrap draws: about 4 s on a core here, well past the
    // 1 s grace period even on a fast machine), so signals land mid-task.
    private static Task<string> SlowComparisonAsync(DatasetStore datasets) =>
        TestData.ComparisonAsync(datasets, seed: 3, games: 4000, hit: 0.6, miss: 0.4, permutationResamples: 1000, bootstrapResamples: 2_000_000);

    private static int FreePort() => RunningWorker.FreePort();

    // promtool (Debian's prometheus package, which deploy/local/up.sh installs) checks the exposition format.
    private static async Task PromtoolAcceptsAsync(string metrics)
    {
        var info = new ProcessStartInfo("promtool", ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start; install the prometheus package.");
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        var problems = await promtool.StandardError.ReadToEndAsync() + await promtool.StandardOutput.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics: {problems}");
    }

    [Fact]
    public async Task BadSettings_StopTheWorkerAtStart_NamingEveryProblem()
    {
        using var worker = StartWorker("bad", "nflcompute", ("NFLC_Worker__Concurrency", "0"), ("NFLC_Queue__MaxAttempts", "0"), ("NFLC_Redis__Configuration", "redis:6379,password=oops"));

        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, worker.Process.ExitCode);
        var output = worker.Output.ToString();
        foreach (var setting in new[] { "WorkerOptions.Concurrency", "QueueOptions.MaxAttempts", "RedisOptions.Password" })
        {
            Assert.Contains(setting, output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("oops", output.Replace("password=oops", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private RunningWorker StartWorker(string ns, string database, params (string Name, string Value)[] extra) =>
        RunningWorker.Start(postgres, RedisServer.Endpoint, ns, database, extra);
}
