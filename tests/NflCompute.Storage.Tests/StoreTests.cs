using NflCompute.Storage.Datasets;
using NflCompute.Storage.Machines;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using Npgsql;

namespace NflCompute.Storage.Tests;

public sealed class StoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Grid = "nflc-test";
    private NpgsqlDataSource _db = null!;

    // A claim's fencing token: the attempt in the high half, claim-time bits in the low half.
    private static AttemptKey Key(string taskId, int attempt, long claimBits = 7) => new(taskId, attempt, ((long)attempt << 32) + claimBits);

    public async Task InitializeAsync()
    {
        _db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(_db).MigrateAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AResult_IsWrittenOnce_AndNeverRewritten_ByItsOwnRetry_ANewerClaim_OrAStaleOne()
    {
        var results = new ResultStore(_db, Grid);
        var (second, third, first) = (Key("00000000aa", 2), Key("00000000aa", 3), Key("00000000aa", 1));

        Assert.True(await CommitAsync(results, second, """{"v":1}""", "w1"));
        Assert.True(await CommitAsync(results, second, """{"v":1}""", "w1")); // its own retry
        Assert.True(await CommitAsync(results, third, """{"v":1}""", "w2")); // a newer claim: durable already
        Assert.False(await CommitAsync(results, first, """{"v":"stale"}""", "w0")); // a stale claim

        Assert.Equal(("""{"v": 1}""", second.FencingToken), await results.ReadAsync("00000000aa"));
        Assert.Equal(1L, await MigrationTests.ScalarAsync<long>(_db, "SELECT count(*) FROM results"));
        Assert.Equal(
            $"insert:{second.FencingToken}, already-durable:{second.FencingToken}, already-durable:{third.FencingToken}, rejected-stale:{first.FencingToken}",
            await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(action || ':' || fencing_token, ', ' ORDER BY id NULLS FIRST) FROM result_writes"));
    }

    // One completed attempt committed on its own; true unless its claim was stale.
    [Fact]
    public async Task Pruning_DeletesTheHistoryOfTasksThatEndedBeforeTheCutoff_KeepingResultsUnlessAsked()
    {
        var results = new ResultStore(_db, Grid);
        var old = new DateTimeOffset(2025, 1, 10, 12, 0, 0, TimeSpan.Zero);
        var recent = old.AddDays(100);
        async Task Finish(string id, DateTimeOffset at)
        {
            var start = new TaskAttemptStart(Key(id, 1), "noop", "cpu", 0, null, at, at, "w1", "cpu");
            await results.CommitCompletedAsync([new CompletedAttempt(start, at.AddSeconds(1), "{\"ok\": true}", 0, 0)]);
        }

        await Finish("00000000p1", old);
        await Finish("00000000p2", old);
        await Finish("00000000p3", recent);
        var pruner = new HistoryPruner(_db, Grid);

        var kept = await pruner.PruneAsync(old.AddDays(30), results: false);
        Assert.Equal(new PruneReport(Tasks: 2, Attempts: 2, Results: 0, AuditRows: 0), kept);
        Assert.NotNull(await results.ReadAsync("00000000p1")); // results are kept unless asked
        Assert.Equal(1L, await MigrationTests.ScalarAsync<long>(_db, "SELECT count(*) FROM tasks"));

        await Finish("00000000p4", old);
        await Finish("00000000p4", old); // its retry finds it durable: an audit row
        var all = await pruner.PruneAsync(old.AddDays(30), results: true);
        Assert.Equal(new PruneReport(Tasks: 1, Attempts: 1, Results: 1, AuditRows: 1), all);
        Assert.Null(await results.ReadAsync("00000000p4"));
        Assert.NotNull(await results.ReadAsync("00000000p3")); // the recent task keeps everything
        Assert.Equal(new PruneReport(0, 0, 0, 0), await pruner.PruneAsync(old.AddDays(30), results: true));
    }

    [Fact]
    public async Task TheScheduledPrune_AsTheWorker_DeletesOnlyWhatTheOwnersRetentionLetsGo_AndTheWorkerCannotWidenIt()
    {
        var results = new ResultStore(_db, Grid);
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, ago) in new[] { ("00000000s1", 40), ("00000000s2", 20), ("00000000s3", 1) })
        {
            var at = now.AddDays(-ago);
            await results.CommitCompletedAsync([new CompletedAttempt(new TaskAttemptStart(Key(id, 1), "noop", "cpu", 0, null, at, at, "w1", "cpu"), at.AddSeconds(1), "{}", 0, 0)]);
        }

        await using var worker = postgres.As(StorageRoles.Worker, PostgresServer.DatabaseOf(_db));
        var asWorker = new HistoryPruner(worker, Grid);
        Assert.Equal(new PruneReport(0, 0, 0, 0), await asWorker.PruneByRetentionAsync()); // no retention set: nothing goes

        await new HistoryPruner(_db, Grid).SetRetentionAsync(new HistoryRetention(TimeSpan.FromDays(30), WithResults: false));
        Assert.Equal(new HistoryRetention(TimeSpan.FromDays(30), false), await asWorker.GetRetentionAsync());
        Assert.Equal(new PruneReport(Tasks: 1, Attempts: 1, Results: 0, AuditRows: 0), await asWorker.PruneByRetentionAsync());
        Assert.Equal("00000000s2,00000000s3", await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(task_id, ',' ORDER BY task_id) FROM tasks"));

        // The worker can neither set its own retention nor name its own cutoff.
        await Assert.ThrowsAsync<PostgresException>(() => asWorker.SetRetentionAsync(new HistoryRetention(TimeSpan.FromHours(1), true)));
        var wider = await Assert.ThrowsAsync<PostgresException>(() => asWorker.PruneAsync(now, results: true));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, wider.SqlState);
        Assert.Equal(2L, await MigrationTests.ScalarAsync<long>(_db, "SELECT count(*) FROM tasks"));
    }

    private static async Task<bool> CommitAsync(ResultStore results, AttemptKey key, string json, string worker)
    {
        var t0 = new DateTimeOffset(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);
        var start = new TaskAttemptStart(key, "noop", "cpu", 0, null, t0, t0, worker, "cpu");
        return (await results.CommitCompletedAsync([new CompletedAttempt(start, t0.AddSeconds(1), json, 0, 0)])).Count == 0;
    }

    // A result already durable with no history beside it, written as the owner would.
    private async Task WriteResultAsync(string taskId, long token, string json, string worker)
    {
        await using var insert = _db.CreateCommand("INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id, device) VALUES (@grid, @task, @token, 'noop', @json::jsonb, @worker, 'cpu')");
        insert.Parameters.AddWithValue("grid", Grid);
        insert.Parameters.AddWithValue("task", taskId);
        insert.Parameters.AddWithValue("token", token);
        insert.Parameters.AddWithValue("json", json);
        insert.Parameters.AddWithValue("worker", worker);
        await insert.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task ADatasetAlteredInTheDatabase_IsRefusedWhenRead_NotComputedOn()
    {
        var datasets = new DatasetStore(_db);
        var id = await datasets.PutAsync([0.25, 0.5, 0.75], "predictions");
        var text = await datasets.PutTextAsync("season,home\n2025,KC\n", "games");
        await using (var tamper = _db.CreateCommand("UPDATE datasets SET data = overlay(data PLACING '\\x01'::bytea FROM 1 FOR 1)"))
        {
            Assert.Equal(2, await tamper.ExecuteNonQueryAsync()); // the owner can; nflc_worker cannot (RoleTests)
        }

        var numbers = await Assert.ThrowsAsync<DatasetIntegrityException>(() => datasets.GetAsync(id));
        await Assert.ThrowsAsync<DatasetIntegrityException>(() => datasets.GetTextAsync(text));
        Assert.Contains($"Dataset {id} was altered in the database", numbers.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datasets_AreContentAddressed_StoredOnce_AndReadBackExactly()
    {
        var datasets = new DatasetStore(_db);
        double[] values = [0.25, -1.5e-300, double.Epsilon, 3];

        var first = await datasets.PutAsync(values, "predictions");
        var second = await datasets.PutAsync([.. values], "predictions");

        Assert.Equal(first, second);
        Assert.Matches("^sha256:[0-9a-f]{64}$", first);
        Assert.Equal(values, await datasets.GetAsync(first));
        Assert.Equal(1L, await MigrationTests.ScalarAsync<long>(_db, "SELECT count(*) FROM datasets"));
        var missing = await Assert.ThrowsAsync<DatasetNotFoundException>(() => datasets.GetAsync(DatasetStore.IdOf([1.0])));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskHistory_KeepsEveryAttempt_AndRollsThemUp()
    {
        var history = new TaskHistory(_db, Grid);
        var t0 = new DateTimeOffset(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);
        var start = new TaskAttemptStart(Key("00000000bb", 1), "compare-models", "cpu", 5, "corr", t0, t0.AddSeconds(1), "w1", "cpu");

        await history.AttemptStartedAsync(start);
        await history.AttemptStartedAsync(start with { Attempt = Key("00000000bb", 2), WorkerId = "w2", StartedAt = t0.AddSeconds(40) });
        await history.AttemptFinishedAsync(Key("00000000bb", 2), "completed", null, 1.5, 0.25, t0.AddSeconds(42));

        Assert.Equal("1:w1:lost, 2:w2:completed", await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(attempt || ':' || worker_id || ':' || status, ', ' ORDER BY attempt) FROM task_attempts"));
        Assert.Equal("completed/2/w2/1.5", await MigrationTests.ScalarAsync<string>(_db, "SELECT status || '/' || attempts || '/' || worker_id || '/' || cpu_seconds FROM tasks"));
    }

    [Fact]
    public async Task Durations_ArePerKindAndDevice_FromCompletedAttemptsOnly()
    {
        var history = new TaskHistory(_db, Grid);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 10; i++)
        {
            var id = $"00000001{i:d2}";
            await history.AttemptStartedAsync(new TaskAttemptStart(Key(id, 1), "season-sim", "gpu", 0, null, t0, t0, "w1", "cuda:0"));
            await history.AttemptFinishedAsync(Key(id, 1), i == 9 ? "failed" : "completed", null, 0, i + 1, t0.AddSeconds(i + 1));
        }

        await history.AttemptStartedAsync(new TaskAttemptStart(Key("0000000200", 1), "season-sim", "cpu", 0, null, t0, t0, "w2", "cpu"));
        await history.AttemptFinishedAsync(Key("0000000200", 1), "completed", null, 40, 0, t0.AddSeconds(40));

        // Another grid in the same database: its runs are its own.
        var other = new TaskHistory(_db, "other-grid");
        await other.AttemptStartedAsync(new TaskAttemptStart(Key("0000000300", 1), "season-sim", "cpu", 0, null, t0, t0, "w3", "cpu"));
        await other.AttemptFinishedAsync(Key("0000000300", 1), "completed", null, 1000, 0, t0.AddSeconds(1000));
        Assert.Equal(1000.0, Assert.Single(await other.DurationsAsync()).P50Seconds);

        var estimates = await history.DurationsAsync();

        Assert.Equal(2, estimates.Count);
        var (cpu, gpu) = (estimates[0], estimates[1]);
        Assert.Equal(("season-sim", "cpu", 1L, 40.0), (cpu.Kind, cpu.Device, cpu.Runs, cpu.P50Seconds));
        Assert.Equal(("cuda:0", 9L, 5.0, 5.0), (gpu.Device, gpu.Runs, gpu.MeanSeconds, gpu.P50Seconds));
        Assert.Equal(8.2, gpu.P90Seconds, 9);
    }

    [Fact]
    public async Task AnAttemptLeftOpenByAKilledWorker_EndsAsLost_WhenALaterOneStartsOrTheTaskEnds()
    {
        var history = new TaskHistory(_db, Grid);
        var t0 = new DateTimeOffset(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);
        var start = new TaskAttemptStart(Key("00000000dd", 1), "noop", "cpu", 0, null, t0, t0, "w1", "cpu");

        await history.AttemptStartedAsync(start);
        await history.AttemptStartedAsync(start with { Attempt = Key("00000000dd", 2), WorkerId = "w2", StartedAt = t0.AddSeconds(30) });
        var afterSecondStart = await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(attempt || ':' || status || ':' || coalesce((finished_at = timestamptz '2026-09-10 20:00:30+00')::text, '-'), ', ' ORDER BY attempt) FROM task_attempts WHERE task_id = '00000000dd'");
        // Attempt 3 is recorded finished without its start having been written (a worker that died
        // between the two is not the only way; a history write can fail too): 2 is closed as well.
        await history.AttemptFinishedAsync(Key("00000000dd", 3), "completed", null, 0.1, 0, t0.AddSeconds(70));

        Assert.Equal("1:lost:true, 2:running:-", afterSecondStart); // closed when attempt 2 started
        Assert.Equal("1:lost, 2:lost", await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(attempt || ':' || status, ', ' ORDER BY attempt) FROM task_attempts WHERE task_id = '00000000dd'"));
        Assert.Equal(0L, await MigrationTests.ScalarAsync<long>(_db, "SELECT count(*) FROM task_attempts WHERE task_id = '00000000dd' AND status = 'running'"));
    }

    [Fact]
    public async Task AnAttemptWhoseWorkerDiedBeforeRecordingIt_IsKeptAsLost()
    {
        var history = new TaskHistory(_db, Grid);
        var t0 = new DateTimeOffset(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);

        await history.AttemptStartedAsync(new TaskAttemptStart(Key("00000000cc", 3), "noop", "cpu", 0, null, t0, t0.AddSeconds(90), "w3", "cpu"));

        Assert.Equal("1:unknown:lost, 2:unknown:lost, 3:w3:running", await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(attempt || ':' || worker_id || ':' || status, ', ' ORDER BY attempt) FROM task_attempts WHERE task_id = '00000000cc'"));
    }

    [Fact]
    public async Task ABatchOfResults_IsCommittedWithItsHistoryInOneGo_FencedAsSingleWritesAre()
    {
        var results = new ResultStore(_db, Grid);
        var history = new TaskHistory(_db, Grid);
        var t0 = new DateTimeOffset(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);
        CompletedAttempt Row(string id, int attempt, string json) =>
            new(new TaskAttemptStart(Key(id, attempt), "noop", "cpu", 3, "c-" + id, t0, t0.AddSeconds(1), "w1", "cpu"), t0.AddSeconds(2), json, 0.5, 0);
        await WriteResultAsync("00000000b1", Key("00000000b1", 1).FencingToken, """{"v":"first"}""", "w0"); // durable already
        await WriteResultAsync("00000000b2", Key("00000000b2", 5).FencingToken, """{"v":"newer"}""", "w9"); // a newer claim wrote it
        await history.AttemptStartedAsync(new TaskAttemptStart(Key("00000000b3", 1), "noop", "cpu", 3, "c-00000000b3", t0, t0, "w0", "cpu")); // left open by a dead worker

        var stale = await results.CommitCompletedAsync([Row("00000000b1", 2, """{"v":"again"}"""), Row("00000000b2", 4, """{"v":"stale"}"""), Row("00000000b3", 2, """{"v":3}"""), Row("00000000b4", 3, """{"v":4}""")]);

        Assert.Equal(["00000000b2"], stale.Order());
        Assert.Equal("""{"v": "first"}""", (await results.ReadAsync("00000000b1"))!.Value.ResultJson); // written once
        Assert.Equal("""{"v": "newer"}""", (await results.ReadAsync("00000000b2"))!.Value.ResultJson);
        Assert.Equal("""{"v": 3}""", (await results.ReadAsync("00000000b3"))!.Value.ResultJson);
        Assert.Equal(
            "00000000b1:insert, 00000000b1:already-durable, 00000000b2:insert, 00000000b2:rejected-stale, 00000000b3:insert, 00000000b4:insert",
            await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(task_id || ':' || action, ', ' ORDER BY task_id, id NULLS FIRST) FROM result_writes"));
        Assert.Equal(
            // Earlier attempts nobody recorded are kept as lost; b3's open attempt 1 is closed as lost.
            "00000000b1:1:lost, 00000000b1:2:already-durable, 00000000b2:1:lost, 00000000b2:2:lost, 00000000b2:3:lost, 00000000b2:4:lease-lost, " +
            "00000000b3:1:lost, 00000000b3:2:completed, 00000000b4:1:lost, 00000000b4:2:lost, 00000000b4:3:completed",
            await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(task_id || ':' || attempt || ':' || status, ', ' ORDER BY task_id, attempt) FROM task_attempts"));
        Assert.Equal(
            "00000000b1:completed:3:c-00000000b1, 00000000b3:completed:3:c-00000000b3, 00000000b4:completed:3:c-00000000b4",
            await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(task_id || ':' || status || ':' || priority || ':' || correlation_id, ', ' ORDER BY task_id) FROM tasks"));
    }

    [Fact]
    public async Task TwoGridsSharingADatabase_KeepTheirOwnResultAndHistory_OfTheSameTaskId()
    {
        var t0 = new DateTimeOffset(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);
        foreach (var grid in new[] { "grid-a", "grid-b" })
        {
            await new TaskHistory(_db, grid).AttemptStartedAsync(new TaskAttemptStart(Key("01jf3w8q2k7m4n9p5r6s", 1), "noop", "cpu", 0, null, t0, t0, "w-" + grid, "cpu"));
            Assert.True(await CommitAsync(new ResultStore(_db, grid), new AttemptKey("01jf3w8q2k7m4n9p5r6s", 1, 1L << 32), $$"""{"grid":"{{grid}}"}""", "w-" + grid));
        }

        Assert.Equal(("""{"grid": "grid-a"}""", 1L << 32), await new ResultStore(_db, "grid-a").ReadAsync("01jf3w8q2k7m4n9p5r6s"));
        Assert.Equal(("""{"grid": "grid-b"}""", 1L << 32), await new ResultStore(_db, "grid-b").ReadAsync("01jf3w8q2k7m4n9p5r6s"));
        Assert.Null(await new ResultStore(_db, "grid-c").ReadAsync("01jf3w8q2k7m4n9p5r6s"));
        Assert.Equal("grid-a:w-grid-a, grid-b:w-grid-b", await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(grid || ':' || worker_id, ', ' ORDER BY grid) FROM tasks"));
        Assert.Equal("grid-a:insert, grid-b:insert", await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(grid || ':' || action, ', ' ORDER BY grid) FROM result_writes"));
    }

    [Fact]
    public async Task AnAttemptNumberIssuedTwice_ByARedisThatForgotAClaim_IsTwoAttempts_TheForgottenOneLost()
    {
        var history = new TaskHistory(_db, Grid);
        var t0 = new DateTimeOffset(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);
        var forgotten = new TaskAttemptStart(Key("00000000ee", 2, claimBits: 1000), "noop", "cpu", 0, null, t0, t0, "w1", "cpu");

        await history.AttemptStartedAsync(forgotten);
        await history.AttemptStartedAsync(forgotten with { Attempt = Key("00000000ee", 2, claimBits: 9000), WorkerId = "w2", StartedAt = t0.AddSeconds(9) });
        await history.AttemptFinishedAsync(Key("00000000ee", 2, claimBits: 9000), "completed", null, 0.5, 0, t0.AddSeconds(10));

        Assert.Equal(
            "1:unknown:lost, 2:w1:lost, 2:w2:completed",
            await MigrationTests.ScalarAsync<string>(_db, "SELECT string_agg(attempt || ':' || worker_id || ':' || status, ', ' ORDER BY attempt, fencing_token) FROM task_attempts WHERE task_id = '00000000ee'"));
    }

    [Fact]
    public async Task Machines_KeepTheirFirstSighting_AndUpdateTheirProfile()
    {
        var machines = new MachineRegistry(_db);

        await machines.RegisterAsync("w1", "host-a", """{"devices":1}""");
        var first = await MigrationTests.ScalarAsync<DateTime>(_db, "SELECT first_seen FROM machines");
        await machines.RegisterAsync("w1", "host-a", """{"devices":2}""");

        Assert.Equal(first, await MigrationTests.ScalarAsync<DateTime>(_db, "SELECT first_seen FROM machines"));
        Assert.Equal(2, await MigrationTests.ScalarAsync<int>(_db, "SELECT (profile->>'devices')::int FROM machines"));
    }
}
