using System.Diagnostics;
using NflCompute.Core;
using NflCompute.Jobs;
using NflCompute.Jobs.Noop;
using NflCompute.Kernels.Cpu;
using NflCompute.Queue;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Machines;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>
/// A Redis restart shorter than the lease must cost a worker nothing: it reconnects at once (the
/// client's backoff, not its connect timeout), renews its leases in time, and keeps its tasks.
/// </summary>
public sealed class RedisReconnectTests(PostgresServer postgres, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ARedisRestartOfTwoSeconds_UnderAFiveSecondLease_LeavesTheWorkerItsTasks_AndItIsBackWithinASecond()
    {
        using var server = new PrivateRedisServer(appendOnly: true);
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        // The default client settings (a 5 s connect timeout), as a worker would have them.
        await Eventually.TrueAsync(() => Task.FromResult(server.Answers()), TimeSpan.FromSeconds(10));
        await using var gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = $"127.0.0.1:{server.Port}" });
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "reconnect" });
        await queue.ConfigureAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new WorkerOptions
        {
            WorkerId = "steady", Classes = ["cpu"], Concurrency = 4, Lease = TimeSpan.FromSeconds(5),
            HeartbeatInterval = TimeSpan.FromMilliseconds(250), RegistrationTtl = TimeSpan.FromSeconds(5), RecoveryInterval = TimeSpan.FromSeconds(1),
        };
        var loop = new WorkerLoop(
            queue, new ResultStore(db, "reconnect"), new TaskHistory(db, "reconnect"), new MachineRegistry(db),
            new JobRegistry([new HeldHandler(release.Task)]), new DatasetCache(new DatasetResolver(new DatasetStore(db), queue)), new CpuSimdBackend(), options);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var ids = (await queue.SubmitBatchAsync(Enumerable.Range(0, 4).Select(_ => new TaskSubmission { Kind = NoopHandler.TaskKind }).ToList())).Select(r => r.Id).ToList();
        await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).Running == 4, TimeSpan.FromSeconds(20));

        server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        server.Start();
        await Eventually.TrueAsync(() => Task.FromResult(server.Answers()), TimeSpan.FromSeconds(10));
        var answering = Stopwatch.StartNew();
        var deadlineAtRestart = RegistrationDeadline(server);
        await Eventually.TrueAsync(() => Task.FromResult(RegistrationDeadline(server) > deadlineAtRestart), TimeSpan.FromSeconds(10));
        var backAfter = answering.Elapsed;
        output.WriteLine($"reconnect: registration renewed {backAfter.TotalMilliseconds:F0} ms after Redis answered again");
        release.SetResult();
        foreach (var id in ids)
        {
            var done = await queue.WaitAsync(id, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            Assert.True((TaskState.Completed, 1, 0) == (done.State, done.Attempts, done.Stalls), $"{id}: {done.State} after {done.Attempts} attempts, {done.Stalls} stalls");
        }

        await stop.CancelAsync();
        await run;
        Assert.True(backAfter < TimeSpan.FromSeconds(1), $"the worker renewed its registration {backAfter.TotalMilliseconds:F0} ms after Redis answered");
    }

    // The worker's registration deadline (renewed by every heartbeat), read on a connection of its
    // own so the reading does not wait for a client's reconnect; 0 while there is none.
    private static double RegistrationDeadline(PrivateRedisServer server) =>
        double.TryParse(server.Cli("ZSCORE", "{reconnect}:workers", "steady"), System.Globalization.CultureInfo.InvariantCulture, out var deadline) ? deadline : 0;

    // A no-op that holds its task until the test lets go, so the tasks are running across the restart.
    private sealed class HeldHandler(Task release) : IJobHandler
    {
        public string Kind => NoopHandler.TaskKind;

        public async Task<string> RunAsync(JobContext context)
        {
            await release.WaitAsync(context.CancellationToken);
            return "{}";
        }
    }
}
