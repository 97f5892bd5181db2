using System.Text.Json;
using NflCompute.Core;
using NflCompute.Core.Jobs;
using NflCompute.Jobs;
using NflCompute.Jobs.CompareModels;
using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Ilgpu;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Machines;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using NflCompute.Storage.Tests;
using Npgsql;

namespace NflCompute.Worker.Tests;

[Collection(RedisCollection.Name)]
public sealed class WorkerEndToEndTests(RedisServer redis, PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "stats.json"))).RootElement;
    private NpgsqlDataSource _db = null!;
    private TaskQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(_db).MigrateAsync();
        _queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = "wtest-" + Guid.NewGuid().ToString("N")[..10] });
        await _queue.ConfigureAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static JsonElement BrierN200 => Golden.GetProperty("large_n").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "brier_n200");

    // A compare-models payload over the golden brier_n200 games: baseline p_a, model "b" = p_b.
    private async Task<string> GoldenPayloadAsync(int permutationResamples, int bootstrapResamples)
    {
        double[] Doubles(string name) => BrierN200.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var datasets = new DatasetStore(_db);
        return JsonSerializer.Serialize(new
        {
            outcomes = await datasets.PutAsync(Doubles("y"), "outcomes"),
            baseline = await datasets.PutAsync(Doubles("p_a"), "predictions"),
            models = new[] { new { name = "b", predictions = await datasets.PutAsync(Doubles("p_b"), "predictions") } },
            permutationResamples,
            bootstrapResamples,
        });
    }

    // 5,000 games and 9 million bootstrap resamples: about 20 s of kernel on this machine.
    private Task<string> SlowPayloadAsync() =>
        TestData.ComparisonAsync(new DatasetStore(_db), seed: 17, games: 5000, hit: 0.6, miss: 0.45, permutationResamples: 2000, bootstrapResamples: 9_000_000);

    // A worker on the CPU (or the given device) with short timers; queue and database default to the test's own.
    private WorkerLoop NewLoop(string workerId, TaskQueue? queue = null, NpgsqlDataSource? db = null, TimeSpan? heartbeat = null, ComputeBackend? device = null, TimeProvider? time = null, JobLimits? limits = null, IDictionary<string, TimeSpan>? maxRunTimes = null) =>
        new(
            queue ?? _queue, new ResultStore(db ?? _db, (queue ?? _queue).Options.Namespace), new TaskHistory(db ?? _db, (queue ?? _queue).Options.Namespace), new MachineRegistry(db ?? _db),
            new JobRegistry([new CompareModelsHandler()]), new DatasetCache(new DatasetResolver(new DatasetStore(db ?? _db))), device ?? new CpuSimdBackend(),
            new WorkerOptions { WorkerId = workerId, Classes = ["cpu"], HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(1), RegistrationTtl = TimeSpan.FromSeconds(10), RecoveryInterval = TimeSpan.FromSeconds(1), MaxRunTimeByKind = maxRunTimes ?? new Dictionary<string, TimeSpan>() },
            time: time,
            limits: limits);

    private async Task<(Task Run, CancellationTokenSource Stop)> StartWorkerAsync(ComputeBackend? device = null, JobLimits? limits = null)
    {
        var loop = NewLoop("test-worker", device: device, limits: limits);
        var stop = new CancellationTokenSource();
        await Task.Yield();
        return (Task.Run(() => loop.RunAsync(stop.Token)), stop);
    }

    [Fact]
    public async Task ACompareModelsTask_RunsOnAWorker_AndItsResultLandsInPostgres()
    {
        var payload = await GoldenPayloadAsync(permutationResamples: 20000, bootstrapResamples: 5000);
        var golden = BrierN200;
        var (run, stop) = await StartWorkerAsync();

        var id = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload, CorrelationId = "corr-e2e" })).Id;
        var done = await _queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await run;

        Assert.Equal(TaskState.Completed, done.State);
        var stored = await new ResultStore(_db, _queue.Options.Namespace).ReadAsync(id);
        Assert.NotNull(stored);
        using var result = JsonDocument.Parse(stored.Value.ResultJson);
        var model = result.RootElement.GetProperty("models")[0];
        var meanD = golden.GetProperty("summary").GetProperty("mean_d").GetDouble();
        Assert.Equal(meanD, model.GetProperty("improvement").GetDouble(), 1e-12);
        Assert.InRange(model.GetProperty("permutation").GetProperty("pTwoSided").GetDouble(), 0.03, 0.07);
        using var inline = JsonDocument.Parse(done.Result!);
        Assert.Equal(meanD, inline.RootElement.GetProperty("models")[0].GetProperty("improvement").GetDouble(), 1e-12); // small results also reach Redis
        Assert.Equal("completed/1/test-worker", await ScalarAsync<string>("SELECT status || '/' || attempts || '/' || worker_id FROM tasks WHERE task_id = @id", id));
        Assert.Equal("corr-e2e", await ScalarAsync<string>("SELECT correlation_id FROM tasks WHERE task_id = @id", id));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM machines WHERE worker_id = 'test-worker'", id));
    }

    [Theory]
    [InlineData("{\"outcomes\": 3}", "payload is not a valid compare-models input at $.outcomes")]
    [InlineData("{\"outcomez\": \"sha256:00\", \"models\": []}", "The JSON property 'outcomez' could not be mapped to any .NET member")]
    [InlineData("{\"outcomes\": \"sha256:00\", \"baseline\": \"sha256:00\", \"models\": [{\"name\": \"m\", \"predictions\": \"sha256:00\"}], \"bootstrapResamples\": 1000000000000}", "payload.bootstrapResamples is 1,000,000,000,000; it must be in 1..10,000,000 (Jobs:MaxResamples).")]
    [InlineData("{\"outcomes\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"baseline\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"models\":[{\"name\":\"m\",\"predictions\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"}]}", "does not exist")]
    public async Task ATaskThatCannotRun_EndsInTheDlqWithItsReason_AndTheWorkerCarriesOn(string payload, string reason)
    {
        var (run, stop) = await StartWorkerAsync();

        var bad = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload, MaxAttempts = 5 })).Id;
        var unknown = (await _queue.SubmitAsync(new TaskSubmission { Kind = "no-such-kind" })).Id;
        var failed = await _queue.WaitAsync(bad, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        var failedKind = await _queue.WaitAsync(unknown, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await run;

        Assert.Equal((TaskState.Failed, 1), (failed.State, failed.Attempts));
        Assert.Contains(reason, failed.Error, StringComparison.Ordinal);
        Assert.StartsWith("failed, not retryable:", failed.Error, StringComparison.Ordinal);
        Assert.Contains("No handler for task kind 'no-such-kind'", failedKind.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await _queue.ListDeadLettersAsync()).Total);
    }

    [Fact]
    public async Task ATaskWhoseResultIsAlreadyDurable_IsCompletedWithoutRunningAgain_AndTheHistorySaysSo()
    {
        var payload = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 2000);
        var id = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload })).Id;

        // A worker that claimed it, committed its result with its attempt and died before
        // completing it in Redis: its lease runs out and the task goes back to the queue.
        var dead = Assert.Single(await _queue.ClaimAsync("dead-worker", ["cpu"], 1, TimeSpan.FromMilliseconds(300)));
        var submitted = (await _queue.GetAsync(id))!.SubmittedAt;
        var deadAttempt = new TaskAttemptStart(new AttemptKey(id, dead.Attempt, dead.FencingToken), dead.Kind, "cpu", 0, null, submitted, DateTimeOffset.UtcNow, "dead-worker", "cpu");
        Assert.Empty(await new ResultStore(_db, _queue.Options.Namespace).CommitCompletedAsync([new CompletedAttempt(deadAttempt, DateTimeOffset.UtcNow, "{\"fromTheDeadWorker\": true}", 0.1, 0)]));
        var (run, stop) = await StartWorkerAsync();

        var done = await _queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await run;

        Assert.Equal((TaskState.Completed, 2), (done.State, done.Attempts));
        Assert.True(JsonDocument.Parse(done.Result!).RootElement.GetProperty("fromTheDeadWorker").GetBoolean()); // the durable result, not a second run's
        Assert.Equal(dead.FencingToken, (await new ResultStore(_db, _queue.Options.Namespace).ReadAsync(id))!.Value.FencingToken);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM result_writes WHERE task_id = @id", id)); // written once
        Assert.Equal("1:dead-worker:completed, 2:test-worker:already-durable", await ScalarAsync<string>("SELECT string_agg(attempt || ':' || worker_id || ':' || status, ', ' ORDER BY attempt) FROM task_attempts WHERE task_id = @id", id));
        Assert.Equal("completed", await ScalarAsync<string>("SELECT status FROM tasks WHERE task_id = @id", id));
    }

    [Fact]
    public async Task ADurableResultOfAnotherTaskWithTheSameId_DoesNotStopThisOneFromRunning()
    {
        // Ids are never issued twice, but were a history row of this id written by something else
        // (an earlier task with this id, submitted at another time), this task must still run.
        var payload = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 2000);
        var id = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload })).Id;
        var submitted = (await _queue.GetAsync(id))!.SubmittedAt;
        var old = new TaskAttemptStart(new AttemptKey(id, 1, 1L << 32), CompareModelsHandler.TaskKind, "cpu", 0, null, submitted.AddHours(-1), submitted.AddHours(-1), "old-worker", "cpu");
        Assert.Empty(await new ResultStore(_db, _queue.Options.Namespace).CommitCompletedAsync([new CompletedAttempt(old, submitted.AddHours(-1), "{\"anotherTask\": true}", 0.1, 0)]));
        var (run, stop) = await StartWorkerAsync();

        var done = await _queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await run;

        Assert.Equal(TaskState.Completed, done.State);
        Assert.True(JsonDocument.Parse(done.Result!).RootElement.TryGetProperty("models", out _), done.Result); // this task's own result
    }

    [Fact]
    public async Task AnIdleWorker_ClaimsNewWorkAtOnce_WithoutWaitingForItsNextPoll()
    {
        // The worker's timers never fire: once idle it would sleep forever, so only being woken
        // by the grid can make it claim the second task.
        var loop = NewLoop("woken-worker", time: new FrozenTimers());
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var payload = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 2000);
        var first = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload })).Id;
        Assert.Equal(TaskState.Completed, (await _queue.WaitAsync(first, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100))).State);
        await Eventually.TrueAsync(() => Task.FromResult(loop.InFlight == 0), TimeSpan.FromSeconds(30)); // idle now, and asleep

        var second = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload })).Id;
        var done = await _queue.WaitAsync(second, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        await stop.CancelAsync();
        await run;

        Assert.Equal(TaskState.Completed, done.State);
    }

    // Real time for GetUtcNow, timers that never fire.
    private sealed class FrozenTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverFires();

        private sealed class NeverFires : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task AComparisonOverTheWorkersWorkLimit_EndsInTheDlqAfterOneAttempt_WithItsSize()
    {
        // The worker's own limit decides (a client may have been configured more loosely).
        var payload = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 2000);
        var (run, stop) = await StartWorkerAsync(limits: new JobLimits { MaxWork = 100_000 });

        var id = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload, MaxAttempts = 5 })).Id;
        var failed = await _queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await run;

        Assert.Equal((TaskState.Failed, 1), (failed.State, failed.Attempts));
        Assert.Contains("payload asks for 1 models x 200 games x 4,000 resamples = 8.00E+005 resampled differences; one task takes at most 1.00E+005 (Jobs:MaxWork).", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledTask_StopsItsKernel_NotJustItsWait()
    {
        var device = new TrackingBackend();
        var slow = await SlowPayloadAsync();
        var loop = NewLoop("cancel-worker", device: device);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));

        var id = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = slow })).Id;
        await Eventually.TrueAsync(() => Task.FromResult(device.Running > 0 && device.Calls >= 2), TimeSpan.FromSeconds(60)); // in the bootstrap
        await _queue.CancelAsync(id);
        var cancelled = await _queue.WaitAsync(id, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => Task.FromResult(device.Running == 0), TimeSpan.FromSeconds(5)); // the next heartbeat, then one chunk
        await stop.CancelAsync();
        await run;

        Assert.Equal(TaskState.Cancelled, cancelled.State);
        Assert.Equal(1, device.Cancelled);
    }

    [Fact]
    public async Task ATaskPastItsKindsMaximumRunTime_IsStopped_AndEndsInTheDlqAfterOneAttempt()
    {
        var device = new TrackingBackend();
        var slow = await SlowPayloadAsync();
        var loop = NewLoop("deadline-worker", device: device, maxRunTimes: new Dictionary<string, TimeSpan> { [CompareModelsHandler.TaskKind] = TimeSpan.FromSeconds(1) });
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));

        var id = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = slow, MaxAttempts = 5 })).Id;
        var failed = await _queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => Task.FromResult(device.Running == 0), TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await run;

        Assert.Equal((TaskState.Failed, 1), (failed.State, failed.Attempts));
        Assert.Contains("ran longer than its maximum run time of 00:00:01 (Worker:MaxRunTime, or Worker:MaxRunTimeByKind:compare-models); it was stopped and is not retried", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, device.Cancelled);
    }

    // The CPU backend, counting the kernel calls running now and those that ended cancelled.
    private sealed class TrackingBackend : ComputeBackend
    {
        private readonly CpuSimdBackend _cpu = new();
        private int _running;
        private int _calls;
        private int _cancelled;

        public int Running => Volatile.Read(ref _running);

        public int Calls => Volatile.Read(ref _calls);

        public int Cancelled => Volatile.Read(ref _cancelled);

        public override HardwareProfile Profile => _cpu.Profile;

        public override SignFlipCounts[] CountSignFlips(SignFlipJob job, CancellationToken cancellationToken = default) => Track(() => _cpu.CountSignFlips(job, cancellationToken));

        public override SignFlipCounts[] CountAllSignFlips(ExactSignFlipJob job, CancellationToken cancellationToken = default) => Track(() => _cpu.CountAllSignFlips(job, cancellationToken));

        public override double[] BootstrapMeans(BootstrapJob job, CancellationToken cancellationToken = default) => Track(() => _cpu.BootstrapMeans(job, cancellationToken));

        public override NflCompute.Kernels.Nfl.EloScore[] SweepElo(NflCompute.Kernels.Nfl.EloSweepJob job, CancellationToken cancellationToken = default) => Track(() => _cpu.SweepElo(job, cancellationToken));

        public override NflCompute.Kernels.Nfl.SeasonSimResult SimulateSeasons(NflCompute.Kernels.Nfl.SeasonSimJob job, CancellationToken cancellationToken = default) => Track(() => _cpu.SimulateSeasons(job, cancellationToken));

        private T Track<T>(Func<T> kernel)
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Increment(ref _running);
            try
            {
                return kernel();
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    [Fact]
    public async Task ADatasetOfTheWrongType_EndsInTheDlqAfterOneAttempt_NamingTheProblem()
    {
        var payload = JsonSerializer.Serialize(new
        {
            outcomes = await new DatasetStore(_db).PutTextAsync("these are not numbers", "outcomes"),
            baseline = await new DatasetStore(_db).PutAsync([0.5, 0.5], "predictions"),
            models = new[] { new { name = "m", predictions = await new DatasetStore(_db).PutAsync([0.6, 0.4], "predictions") } },
        });
        var (run, stop) = await StartWorkerAsync();

        var id = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload, MaxAttempts = 5 })).Id;
        var failed = await _queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await run;

        Assert.Equal((TaskState.Failed, 1), (failed.State, failed.Attempts));
        Assert.Contains("payload names a dataset it cannot use: Dataset sha256:", failed.Error, StringComparison.Ordinal);
        Assert.Contains("holds utf8, not float64 numbers", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATaskTooBigForTheDevice_EndsInTheDlqWithTheDevicesReason_AndTheWorkerCarriesOnOnThatDevice()
    {
        // ILGPU's CPU accelerator told it has 1 MiB: 200,000 bootstrap means (1.5 MiB) do not fit.
        using var device = new IlgpuBackend("ilgpu-cpu", BackendKind.IlgpuCpu, 0, memoryBytes: 1 << 20);
        var tooBig = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 200_000);
        var fits = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 2000);
        var (run, stop) = await StartWorkerAsync(device);

        var big = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = tooBig, MaxAttempts = 5 })).Id;
        var small = (await _queue.SubmitAsync(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = fits })).Id;
        var failed = await _queue.WaitAsync(big, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        var done = await _queue.WaitAsync(small, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await run;

        Assert.Equal((TaskState.Failed, 1), (failed.State, failed.Attempts));
        Assert.StartsWith("failed, not retryable: DeviceException: BootstrapKernel: the job needs 1.5 MiB of device memory and ilgpu-cpu has 1.0 MiB", failed.Error, StringComparison.Ordinal);
        Assert.Equal(big, Assert.Single((await _queue.ListDeadLettersAsync()).Items).Id);
        Assert.Equal(TaskState.Completed, done.State);
        Assert.Equal("completed/test-worker", await ScalarAsync<string>("SELECT status || '/' || worker_id FROM tasks WHERE task_id = @id", small));
    }

    [Fact]
    public async Task APostgresOutageWhileTasksFlow_IsRiddenOut_EveryTaskCompletesOnce()
    {
        var payload = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 200_000);

        // The worker reaches Postgres through a gate the test closes like a server going down.
        var database = PostgresServer.DatabaseOf(_db);
        await using var gate = new TcpGate(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, postgres.Superuser.Port));
        await using var gated = NflCompute.Storage.PostgresDataSource.Create(new NflCompute.Storage.PostgresOptions
        {
            Host = "127.0.0.1", Port = gate.Port, Database = database, PasswordFile = postgres.Superuser.PasswordFile, SslMode = SslMode.Disable,
        });
        var ids = await RideOutAsync(NewLoop("outage-worker", db: gated), payload, async () =>
        {
            gate.Close();
            await Task.Delay(TimeSpan.FromSeconds(10));
        }, gate.Open);

        Assert.Equal((long)ids.Count, await ScalarAsync<long>("SELECT count(*) FROM result_writes WHERE action = 'insert' AND @id <> ''", ids[0]));
    }

    [Fact]
    public async Task ARedisRestart_LosingItsScripts_IsRiddenOut_AndWorkCarriesOn()
    {
        var payload = await GoldenPayloadAsync(permutationResamples: 2000, bootstrapResamples: 200_000);
        var redisPort = int.Parse(RedisServer.Endpoint.Split(',')[0].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        await using var gate = new TcpGate(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, redisPort));
        await using var gatedRedis = await NflCompute.Queue.Redis.RedisGateway.ConnectAsync(new RedisOptions { Configuration = $"127.0.0.1:{gate.Port},connectTimeout=1000,syncTimeout=2000" });
        var workerQueue = new TaskQueue(gatedRedis, _queue.Options);
        await RideOutAsync(NewLoop("restart-worker", queue: workerQueue), payload, async () =>
        {
            gate.Close();
            await redis.Raw.GetServer(redis.Raw.GetEndPoints()[0]).ScriptFlushAsync(); // a restart keeps the data (AOF), not the scripts
            await Task.Delay(TimeSpan.FromSeconds(5));
        }, gate.Open);
    }

    // 24 tasks through the loop with an outage once a few have completed: the outage must land
    // mid-flow, and every task must still complete exactly once, none in the DLQ.
    private async Task<List<string>> RideOutAsync(WorkerLoop loop, string payload, Func<Task> outage, Action recover)
    {
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var ids = (await _queue.SubmitBatchAsync(Enumerable.Range(0, 24).Select(_ => new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = payload }).ToList())).Select(r => r.Id).ToList();

        await Eventually.TrueAsync(async () => (await _queue.GetCountsAsync()).CompletedTotal >= 3, TimeSpan.FromMinutes(1));
        await outage();
        Assert.True((await _queue.GetCountsAsync()).CompletedTotal < ids.Count, "the outage should have landed while tasks were still flowing");
        recover();
        foreach (var id in ids)
        {
            Assert.Equal(TaskState.Completed, (await _queue.WaitAsync(id, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200))).State);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(0, (await _queue.GetCountsAsync()).DeadLetters);
        Assert.Equal((long)ids.Count, await ScalarAsync<long>("SELECT count(*) FROM results WHERE @id <> ''", ids[0]));
        return ids;
    }

    private async Task<T> ScalarAsync<T>(string sql, string id)
    {
        await using var command = _db.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
