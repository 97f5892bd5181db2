using System.Net;
using NflCompute.Core;
using NflCompute.Jobs;
using NflCompute.Jobs.Noop;
using NflCompute.Kernels.Cpu;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Machines;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using NflCompute.Storage.Tests;
using NflCompute.Worker.Persistence;

namespace NflCompute.Worker.Tests;

/// <summary>
/// Faults at the boundaries of a batch of results: Postgres away as a batch is about to commit,
/// Redis away between the commit and the completion, a worker SIGKILLed while results wait for
/// their batch. Each time every task completes, with one result of its own, and none runs again
/// once its result was durable.
/// </summary>
public sealed class BatchBoundaryTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("BeforeCommit")] // Postgres goes away
    [InlineData("AfterCommit")] // Redis goes away
    public async Task AServerAwayAtABatchBoundary_IsWaitedOut_AndEveryTaskCompletesOnce(string where)
    {
        var boundary = Enum.Parse<BatchBoundary>(where);
        using var redis = new PrivateRedisServer(appendOnly: true);
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        await using var pgGate = new TcpGate(new IPEndPoint(IPAddress.Loopback, postgres.Superuser.Port));
        await using var workerDb = ThroughGate(pgGate, db);
        await using var gateway = await redis.ConnectAsync();
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "boundary" });
        await queue.ConfigureAsync();

        // The first batch to reach the boundary finds its server gone for 2 s.
        var faulted = 0;
        async Task AtBoundary(BatchBoundary at)
        {
            if (at != boundary || Interlocked.Exchange(ref faulted, 1) == 1)
            {
                return;
            }

            if (at == BatchBoundary.BeforeCommit)
            {
                pgGate.Close();
                _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => pgGate.Open(), TaskScheduler.Default);
            }
            else
            {
                redis.Kill();
                _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => redis.Start(), TaskScheduler.Default);
            }

            await Task.CompletedTask;
        }

        var options = new WorkerOptions
        {
            WorkerId = "boundary", Classes = ["cpu"], Concurrency = 8, Lease = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            RegistrationTtl = TimeSpan.FromSeconds(4), RecoveryInterval = TimeSpan.FromSeconds(1), OutagePatience = TimeSpan.FromSeconds(30), PersistBatchDelay = TimeSpan.FromMilliseconds(50),
        };
        var loop = new WorkerLoop(
            queue, new ResultStore(workerDb, "boundary"), new TaskHistory(workerDb, "boundary"), new MachineRegistry(workerDb),
            new JobRegistry([new EchoHandler()]), new DatasetCache(new DatasetResolver(new DatasetStore(workerDb), queue)), new CpuSimdBackend(), options)
        { AtBatchBoundary = AtBoundary };
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var ids = (await queue.SubmitBatchAsync(Enumerable.Range(0, 200).Select(i => new TaskSubmission { Kind = NoopHandler.TaskKind, Payload = $$"""{"n": {{i}}}""" }).ToList())).Select(r => r.Id).ToList();

        foreach (var id in ids)
        {
            var done = await queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            Assert.True(done.State == TaskState.Completed, $"{id}: {done.State} {done.Error}");
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(1, faulted);
        var results = new ResultStore(db, "boundary");
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal($$"""{"n": {{i}}}""", (await results.ReadAsync(ids[i]))!.Value.ResultJson);
        }

        Assert.Equal(200L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM results"));
        // A task whose lease lapsed while its result waited (a busy machine) may run on a second
        // claim before the first is durable; none runs after, and none is written twice.
        Assert.Equal(0L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM (SELECT task_id FROM task_attempts WHERE status = 'completed' GROUP BY task_id HAVING count(*) > 1) twice"));
        Assert.Equal(0L, await TestData.ScalarAsync<long>(db, """
            SELECT count(*) FROM task_attempts a
            JOIN (SELECT task_id, min(at) AS durable FROM result_writes WHERE action = 'insert' GROUP BY task_id) r USING (task_id)
            WHERE a.started_at > r.durable + interval '50 milliseconds' AND a.status NOT IN ('already-durable', 'lost')
            """));
        Assert.Equal(0L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM (SELECT task_id FROM result_writes WHERE action = 'insert' GROUP BY task_id HAVING count(*) > 1) t"));
    }

    [Fact]
    public async Task AStopWhileAClaimsDurableLookupWaits_HandsTheClaimedTasksBack_NotLeftLeased()
    {
        // SIGTERM between a claim and the start of its tasks (the durable-result lookup waiting on
        // a slow Postgres) once left the claimed tasks leased to a worker that had stopped: they
        // sat until the lease ran out and their attempts were recorded lost by 'unknown'.
        using var redis = new PrivateRedisServer();
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        await using var pgGate = new TcpGate(new IPEndPoint(IPAddress.Loopback, postgres.Superuser.Port));
        await using var workerDb = ThroughGate(pgGate, db);
        await using var gateway = await redis.ConnectAsync();
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "stopping" });
        await queue.ConfigureAsync();
        var options = new WorkerOptions
        {
            WorkerId = "stopping", Classes = ["cpu"], Concurrency = 4, Lease = TimeSpan.FromMinutes(5), GracePeriod = TimeSpan.FromMilliseconds(200),
            OutagePatience = TimeSpan.FromSeconds(30),
        };
        var never = new TaskCompletionSource<bool>();
        var loop = new WorkerLoop(
            queue, new ResultStore(workerDb, "stopping"), new TaskHistory(workerDb, "stopping"), new MachineRegistry(db),
            new JobRegistry([new HeldHandler(never.Task)]), new DatasetCache(new DatasetResolver(new DatasetStore(workerDb), queue)), new CpuSimdBackend(), options);
        pgGate.Close();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var ids = (await queue.SubmitBatchAsync([new TaskSubmission { Kind = NoopHandler.TaskKind }, new TaskSubmission { Kind = NoopHandler.TaskKind }])).Select(r => r.Id).ToList();
        await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).Running == 2, TimeSpan.FromSeconds(30));

        await stop.CancelAsync(); // the lookup is waiting on the closed gate
        pgGate.Open();
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((2, 0), ((int)(await queue.GetCountsAsync()).PendingByClass["cpu"], (int)(await queue.GetCountsAsync()).Running));
        foreach (var id in ids)
        {
            Assert.Equal(TaskState.Pending, (await queue.GetAsync(id))!.State);
            Assert.Equal("1:stopping:released", await TestData.ScalarAsync<string>(db, $"SELECT string_agg(attempt || ':' || worker_id || ':' || status, ', ') FROM task_attempts WHERE task_id = '{id}'"));
        }
    }

    [Fact]
    public async Task FailuresGoThroughThePipelineInBatches_EachToTheDeadLetterQueueWithItsReason_EachAttemptRecorded()
    {
        using var redis = new PrivateRedisServer();
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        await using var gateway = await redis.ConnectAsync();
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "failing" });
        await queue.ConfigureAsync();
        var options = new WorkerOptions { WorkerId = "failing", Classes = ["cpu"], Concurrency = 64, PersistBatchDelay = TimeSpan.FromMilliseconds(20) };
        var loop = new WorkerLoop(
            queue, new ResultStore(db, "failing"), new TaskHistory(db, "failing"), new MachineRegistry(db),
            new JobRegistry([new RefusingHandler()]), new DatasetCache(new DatasetResolver(new DatasetStore(db), queue)), new CpuSimdBackend(), options);
        var commitsBefore = await CommitsAsync(db);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var ids = (await queue.SubmitBatchAsync(Enumerable.Range(0, 200).Select(i => new TaskSubmission { Kind = NoopHandler.TaskKind, Payload = $$"""{"n": {{i}}}""" }).ToList())).Select(r => r.Id).ToList();

        await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).DeadLetters == 200, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await run;

        var dead = await queue.ListDeadLettersAsync(0, 200);
        Assert.All(dead.Items, d => Assert.Contains("refused: n =", d.Error, StringComparison.Ordinal));
        Assert.Equal(200L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM task_attempts WHERE status = 'failed' AND error LIKE '%refused: n =%'"));
        Assert.Equal(200L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM tasks WHERE status = 'failed'"));
        // One transaction per batch of failures (and a lookup per claim), not one per task.
        Assert.InRange(await CommitsAsync(db) - commitsBefore, 1, 100);
    }

    [Fact]
    public async Task ABatchHeldAtItsCommit_DoesNotHoldUpTheNext_WhenTwoFlushesAreAllowed()
    {
        using var redis = new PrivateRedisServer();
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        await using var gateway = await redis.ConnectAsync();
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "flushes" });
        await queue.ConfigureAsync();

        // The first batch to reach its commit waits there until the test lets it go.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = 0;
        async Task AtBoundary(BatchBoundary at)
        {
            if (at == BatchBoundary.BeforeCommit && Interlocked.Exchange(ref first, 1) == 0)
            {
                held.SetResult();
                await release.Task;
            }
        }

        var options = new WorkerOptions { WorkerId = "flushes", Classes = ["cpu"], Concurrency = 8, PersistBatchSize = 1, PersistBatchDelay = TimeSpan.Zero, PersistFlushes = 2 };
        var loop = new WorkerLoop(
            queue, new ResultStore(db, "flushes"), new TaskHistory(db, "flushes"), new MachineRegistry(db),
            new JobRegistry([new EchoHandler()]), new DatasetCache(new DatasetResolver(new DatasetStore(db), queue)), new CpuSimdBackend(), options)
        { AtBatchBoundary = AtBoundary };
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var ids = (await queue.SubmitBatchAsync(Enumerable.Range(0, 6).Select(i => new TaskSubmission { Kind = NoopHandler.TaskKind, Payload = $$"""{"n": {{i}}}""" }).ToList())).Select(r => r.Id).ToList();
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // One result per batch: the other five commit and complete in the second flush while the
        // first waits (with one flush they would all queue behind it).
        await Eventually.TrueAsync(async () => await CompletedAsync(queue, ids) == 5, TimeSpan.FromSeconds(30));

        release.SetResult();
        foreach (var id in ids)
        {
            Assert.Equal(TaskState.Completed, (await queue.WaitAsync(id, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50))).State);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(6L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM results"));
    }

    private static async Task<int> CompletedAsync(TaskQueue queue, IReadOnlyList<string> ids)
    {
        var completed = 0;
        foreach (var id in ids)
        {
            completed += (await queue.GetAsync(id))!.State == TaskState.Completed ? 1 : 0;
        }

        return completed;
    }

    // The worker's Postgres, reached through a gate the test can close.
    private Npgsql.NpgsqlDataSource ThroughGate(TcpGate gate, Npgsql.NpgsqlDataSource db) => PostgresDataSource.Create(new PostgresOptions
    {
        Host = "127.0.0.1", Port = gate.Port, Username = postgres.Superuser.Username, PasswordFile = postgres.Superuser.PasswordFile, SslMode = postgres.Superuser.SslMode, Database = PostgresServer.DatabaseOf(db),
    });

    private static async Task<long> CommitsAsync(Npgsql.NpgsqlDataSource db)
    {
        await using (var flush = db.CreateCommand("SELECT pg_stat_force_next_flush()"))
        {
            await flush.ExecuteNonQueryAsync();
        }

        return await TestData.ScalarAsync<long>(db, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
    }

    // Refuses every task as bad input: each goes to the dead-letter queue with its reason.
    private sealed class RefusingHandler : IJobHandler
    {
        public string Kind => NoopHandler.TaskKind;

        public Task<string> RunAsync(JobContext context) => throw new JobInputException("refused: n = " + context.Task.Payload);
    }

    // Holds its task until cancelled.
    private sealed class HeldHandler(Task release) : IJobHandler
    {
        public string Kind => NoopHandler.TaskKind;

        public async Task<string> RunAsync(JobContext context)
        {
            await release.WaitAsync(context.CancellationToken);
            return "{}";
        }
    }

    [Fact]
    public async Task AWorkerSigkilledWhileResultsWaitForTheirBatch_LosesThem_AndAnotherRunsThemOnce()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        using var redis = new PrivateRedisServer(appendOnly: true);
        await using var gateway = await redis.ConnectAsync();
        var ns = "sigkill-batch";
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = ns });
        await queue.ConfigureAsync();
        (string, string)[] settings = [("NFLC_Worker__Lease", "00:00:03"), ("NFLC_Worker__RegistrationTtl", "00:00:04"), ("NFLC_Worker__RecoveryInterval", "00:00:01"), ("NFLC_Worker__Concurrency", "16")];
        // Results wait up to a second for their batch: the kill lands inside that window.
        using var doomed = RunningWorker.Start(postgres, redis.Endpoint, ns, PostgresServer.DatabaseOf(db),
            [.. settings, ("NFLC_Worker__WorkerId", "doomed"), ("NFLC_Worker__PersistBatchDelay", "00:00:01"), ("NFLC_Worker__PersistBatchSize", "10000"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{RunningWorker.FreePort()}")]);
        await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).Workers == 1, TimeSpan.FromSeconds(60));
        var ids = (await queue.SubmitBatchAsync(Enumerable.Range(0, 16).Select(_ => new TaskSubmission { Kind = NoopHandler.TaskKind }).ToList())).Select(r => r.Id).ToList();
        await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).Running == 16, TimeSpan.FromSeconds(30));
        doomed.Process.Kill(entireProcessTree: true);
        await doomed.Process.WaitForExitAsync();
        var durableAtKill = await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM results");

        using var survivor = RunningWorker.Start(postgres, redis.Endpoint, ns, PostgresServer.DatabaseOf(db),
            [.. settings, ("NFLC_Worker__WorkerId", "survivor"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{RunningWorker.FreePort()}")]);
        foreach (var id in ids)
        {
            var done = await queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            Assert.True(done.State == TaskState.Completed, $"{id}: {done.State} {done.Error}");
        }

        Assert.Equal(0L, durableAtKill); // the kill came while they waited for their batch
        Assert.Equal(16L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM results"));
        Assert.Equal("16 by survivor", await TestData.ScalarAsync<string>(db, "SELECT count(*) || ' by ' || string_agg(DISTINCT worker_id, ',') FROM task_attempts WHERE status = 'completed'"));
    }
}
