using System.Text.Json;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;
using NflCompute.Worker.Tests;
using Npgsql;

namespace NflCompute.Cli.Tests;

/// <summary>nflc's task commands end to end against a real grid (a worker in this process), as scripts use them.</summary>
[Collection(RedisCollection.Name)]
public sealed class GridCommandTests(RedisServer redis, PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly string _namespace = "cli-" + Guid.NewGuid().ToString("N")[..10];
    private NpgsqlDataSource _db = null!;
    private InProcessWorker _worker = null!;
    private Dictionary<string, string> _environment = null!;

    public async Task InitializeAsync()
    {
        _db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(_db).MigrateAsync();
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = _namespace });
        await queue.ConfigureAsync();
        _worker = InProcessWorker.Start(queue, _db, "cli-test-worker");
        _environment = new()
        {
            ["NFLC_Redis__Configuration"] = RedisServer.Endpoint,
            ["NFLC_Queue__Namespace"] = _namespace,
            ["NFLC_Postgres__Host"] = postgres.Superuser.Host,
            ["NFLC_Postgres__Port"] = postgres.Superuser.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NFLC_Postgres__PasswordFile"] = postgres.Superuser.PasswordFile!,
            ["NFLC_Postgres__SslMode"] = "Disable",
            ["NFLC_Postgres__Database"] = PostgresServer.DatabaseOf(_db),
        };
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _db.DisposeAsync();
    }

    private Task<Nflc.Run> NflcAsync(params string[] args) => Nflc.RunAsync(_environment, args);

    [Fact]
    public async Task SubmitStatusAndResults_SpeakJson_WithExitCodesScriptsCanUse()
    {
        var waited = await NflcAsync("submit", "noop", "--wait", "--json", "--correlation-id", "cli-corr");
        Assert.True(waited.ExitCode == 0, waited.Stderr);
        var done = JsonDocument.Parse(waited.Stdout).RootElement;
        var id = done.GetProperty("id").GetString()!;

        var status = await NflcAsync("status", id, "--json");
        var results = await NflcAsync("results", id, "--json");
        var queue = await NflcAsync("status", "--json");
        var queued = await NflcAsync("submit", "noop", "--json", "--class", "gpu");

        Assert.Equal(JsonValueKind.Object, done.GetProperty("result").ValueKind);
        var info = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.Equal(("noop", "completed", "cli-corr"), (info.GetProperty("kind").GetString(), info.GetProperty("state").GetString(), info.GetProperty("correlationId").GetString()));
        Assert.Equal(JsonValueKind.Null, info.GetProperty("eta").ValueKind); // a finished task has no expected end
        Assert.Equal("{}", results.Stdout.Trim());
        Assert.True(JsonDocument.Parse(queue.Stdout).RootElement.GetProperty("workers").GetInt64() >= 1);
        var queuedId = JsonDocument.Parse(queued.Stdout).RootElement.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-hjkmnp-tv-z]{20}$", queuedId);
        // Pending on a class no worker claims, it still has an expected end from noop's history.
        var pending = JsonDocument.Parse((await NflcAsync("status", queuedId, "--json")).Stdout).RootElement;
        Assert.Equal("pending", pending.GetProperty("state").GetString());
        Assert.True(pending.GetProperty("eta").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task ACustomKind_IsQueuedWithItsPayloadAsGiven()
    {
        var queued = await NflcAsync("submit", "home-win-rate", "--custom", "--payload", """{"outcomes": "sha256:abc", "extra": [1, 2]}""", "--class", "gpu", "--json");
        Assert.True(queued.ExitCode == 0, queued.Stderr);
        var id = JsonDocument.Parse(queued.Stdout).RootElement.GetProperty("id").GetString()!;

        var info = JsonDocument.Parse((await NflcAsync("status", id, "--json")).Stdout).RootElement;

        Assert.Equal(("home-win-rate", "pending"), (info.GetProperty("kind").GetString(), info.GetProperty("state").GetString()));
        Assert.Equal("""{"outcomes":"sha256:abc","extra":[1,2]}""", info.GetProperty("payload").GetString());
    }

    [Fact]
    public async Task GridPauseAndResume_ShowInStatus_AndAnUnknownClassExitsWith2()
    {
        var paused = await NflcAsync("grid", "pause", "gpu", "gpu-high", "--json");
        var status = await NflcAsync("status", "--json");
        var table = await NflcAsync("status");
        var unknown = await NflcAsync("grid", "pause", "tpu");
        var resumed = await NflcAsync("grid", "resume", "gpu", "--json");

        Assert.True(paused.ExitCode == 0, paused.Stderr);
        Assert.Equal(["gpu", "gpu-high"], JsonDocument.Parse(paused.Stdout).RootElement.GetProperty("paused").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["gpu", "gpu-high"], JsonDocument.Parse(status.Stdout).RootElement.GetProperty("paused").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("pending · gpu (paused since", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("tpu", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(["gpu-high"], JsonDocument.Parse(resumed.Stdout).RootElement.GetProperty("paused").EnumerateArray().Select(c => c.GetString()));
        await NflcAsync("grid", "resume", "gpu-high");
    }

    [Fact]
    public async Task GridLimit_SetsShowsAndClearsAClasssLimits_AndRefusesBadOnes()
    {
        var set = await NflcAsync("grid", "limit", "gpu", "--max-running", "2", "--rate", "600/1m", "--json");
        var status = await NflcAsync("status", "--json");
        var table = await NflcAsync("status");
        var badRate = await NflcAsync("grid", "limit", "gpu", "--rate", "lots");
        var badCount = await NflcAsync("grid", "limit", "gpu", "--max-running", "0");
        var cleared = await NflcAsync("grid", "limit", "gpu", "--json");

        Assert.True(set.ExitCode == 0, set.Stderr);
        var limits = JsonDocument.Parse(set.Stdout).RootElement;
        Assert.Equal((2, "600/00:01:00", 0), (limits.GetProperty("maxRunning").GetInt32(), limits.GetProperty("rate").GetString(), limits.GetProperty("running").GetInt32()));
        Assert.Contains("limits · gpu", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(status.Stdout).RootElement.GetProperty("limits").GetProperty("gpu").GetProperty("maxRunning").GetInt32());
        Assert.Equal((2, 2), (badRate.ExitCode, badCount.ExitCode));
        Assert.Contains("N/DURATION", badRate.Stderr, StringComparison.Ordinal);
        Assert.Contains("at least 1", badCount.Stderr, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(cleared.Stdout).RootElement.GetProperty("maxRunning").ValueKind);
    }

    [Fact]
    public async Task ScheduleCommands_AddListShowPauseResumeTriggerAndRemove()
    {
        var added = await NflcAsync("schedule", "add", "nightly-elo", "noop", "--cron", "0 3 * * *", "--tz", "America/New_York", "--json");
        var every = await NflcAsync("schedule", "add", "refresh", "noop", "--every", "1h", "--missed", "Skip");
        var list = await NflcAsync("schedule", "list", "--json");
        var paused = await NflcAsync("schedule", "pause", "refresh");
        var shown = await NflcAsync("schedule", "show", "refresh", "--json");
        var resumed = await NflcAsync("schedule", "resume", "refresh");
        var triggered = await NflcAsync("schedule", "trigger", "nightly-elo", "--json");
        var removed = await NflcAsync("schedule", "remove", "refresh");
        var gone = await NflcAsync("schedule", "show", "refresh");
        var bad = await NflcAsync("schedule", "add", "broken", "noop", "--cron", "every night");

        Assert.True(added.ExitCode == 0, added.Stderr);
        var next = JsonDocument.Parse(added.Stdout).RootElement.GetProperty("nextTick").GetDateTimeOffset();
        Assert.True(next.ToUniversalTime().Hour is 7 or 8, $"03:00 in New York is 07:00 or 08:00 UTC, not {next:u}");
        Assert.Equal(0, every.ExitCode);
        Assert.Equal(["nightly-elo", "refresh"], JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("definition").GetProperty("name").GetString()));
        Assert.Equal((0, 0, 0), (paused.ExitCode, resumed.ExitCode, removed.ExitCode));
        Assert.True(JsonDocument.Parse(shown.Stdout).RootElement.GetProperty("paused").GetBoolean());
        var task = JsonDocument.Parse(triggered.Stdout).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(NflCompute.Core.TaskState.Completed, (await new TaskQueue(redis.Gateway, new QueueOptions { Namespace = _namespace }).WaitAsync(task, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100))).State);
        Assert.Equal(5, gone.ExitCode);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not a cron expression", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingTask_ExitsWith1_ItsReasonOnStderr_AndTheDlqCommandsHandleIt()
    {
        var failed = await NflcAsync("submit", "season-sim", "--payload", """{"season": 2025, "simulations": 1000}""", "--wait");
        var list = await NflcAsync("dlq", "list", "--json");
        var entry = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("items")[0];
        var id = entry.GetProperty("id").GetString()!;
        var show = await NflcAsync("dlq", "show", id);
        var requeue = await NflcAsync("dlq", "requeue", id, "--json");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("no games are loaded", failed.Stderr, StringComparison.Ordinal);
        Assert.Contains("no games are loaded", entry.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(requeue.Stdout).RootElement.GetProperty("requeued").GetInt32());
    }

    [Theory]
    [InlineData(2, "unknown job kind 'frobnicate'; the grid runs noop, compare-models", "submit", "frobnicate")]
    [InlineData(2, "(for a kind of your own, add --custom)", "submit", "frobnicate")]
    [InlineData(2, "'noop' is a kind the grid ships; give its spec (NoopSpec) instead of a custom one.", "submit", "noop", "--custom")]
    [InlineData(2, "the my-kind spec is not valid at $: the payload is a JSON array; a job's payload is an object.", "submit", "my-kind", "--custom", "--payload", "[1, 2]")]
    [InlineData(2, "the season-sim spec is not valid at $.season", "submit", "season-sim", "--payload", "{\"season\": \"soon\"}")]
    [InlineData(2, "The JSON property 'sesaon' could not be mapped", "submit", "season-sim", "--payload", "{\"season\": 2025, \"sesaon\": 2024}")]
    [InlineData(2, "'abc' is not a task id (20 characters of 0-9 and a-z without i, l, o, u, e.g. 01jf3w8q2k7m4n9p5r6s).", "status", "abc")]
    [InlineData(3, "WorkerOptions.MetricsUrl 'notaurl' must be an http(s) address", "worker", "--metrics-url", "notaurl")]
    [InlineData(5, "Task 00000000000000000000 does not exist", "status", "00000000000000000000")]
    [InlineData(5, "Task 00000000000000000000 does not exist", "results", "00000000000000000000")]
    [InlineData(3, "RedisOptions.Configuration", "status", "--set", "Redis:Configuration=")]
    public async Task Mistakes_ExitWithTheirCode_AndSayWhatIsWrong(int code, string message, params string[] args)
    {
        var run = await NflcAsync(args);

        Assert.True(code == run.ExitCode, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadGames_RefusesAFileThatIsNotUtf8_NamingTheByteOffset()
    {
        var file = Path.GetTempFileName();
        var header = "game_id,season\n"u8.ToArray();
        await File.WriteAllBytesAsync(file, [.. header, .. "1999_01_ARI_PHI,19"u8.ToArray(), 0xC3, 0x28, .. "99\n"u8.ToArray()]);

        var run = await NflcAsync("load-games", file);
        File.Delete(file);

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains($"is not valid UTF-8 at byte {header.Length + 18}; save it as UTF-8.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerWhoseMetricsPortIsTaken_ExitsWith3_NamingTheSetting()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var run = await NflcAsync("worker", "--metrics-url", $"http://127.0.0.1:{port}");

        Assert.True(run.ExitCode == 3, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains($"WorkerOptions.MetricsUrl http://127.0.0.1:{port} is in use by another process", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadGames_RefusesAFileBiggerThanTheGridStages_InOneLine()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, new byte[70_000_000]);

        var run = await NflcAsync("load-games", file);
        File.Delete(file);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains("is 70,000,005 bytes; staging takes at most 67,108,864 (QueueOptions.MaxDatasetBytes).", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAndPurge_RunAndExitCleanly()
    {
        var watch = await NflcAsync("watch", "--times", "2", "--interval", "00:00:00.200");
        var purge = await NflcAsync("dlq", "purge", "--json");

        Assert.True(watch.ExitCode == 0, watch.Stderr);
        Assert.Contains("live workers", watch.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, purge.ExitCode);
        Assert.True(JsonDocument.Parse(purge.Stdout).RootElement.GetProperty("purged").GetInt32() >= 0);
    }

    [Fact]
    public async Task Config_ShowsTheSettingsInEffect_WithSecretsMasked()
    {
        var run = await NflcAsync("config", "--json", "--set", "Redis:Password=hunter2", "--set", "Queue:MaxAttempts=7");

        Assert.Equal(0, run.ExitCode);
        var settings = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("***", settings.GetProperty("Redis:Password").GetString());
        Assert.Equal("7", settings.GetProperty("Queue:MaxAttempts").GetString());
        Assert.DoesNotContain("hunter2", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadGames_FromAUsersFile_ReportsTheBadRows()
    {
        var file = Path.Combine(Path.GetTempPath(), $"games-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "game_id,season,game_type,week,gameday,away_team,away_score,home_team,home_score,location\n2023_01_DET_KC,2023,REG,1,2023-09-07,DET,21,KC,20,Home\n2023_01_XXX_KC,2023,REG,1,2023-09-07,XXX,21,KC,20,Home\n");

        var run = await NflcAsync("load-games", file, "--json");
        File.Delete(file);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var summary = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal((1, 1), (summary.GetProperty("new").GetInt32(), summary.GetProperty("quarantined").GetInt32()));
        Assert.Equal("unknown team code 'XXX'", summary.GetProperty("problems")[0].GetProperty("reason").GetString());
    }
}
