using NflCompute.Core.Jobs;
using NflCompute.Jobs;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;
using NflCompute.Worker.Tests;

namespace NflCompute.Client.Tests;

/// <summary>A handler's progress, end to end: JobContext.Report in a worker, the heartbeat, GridClient.WaitAsync's IProgress.</summary>
[Collection(RedisCollection.Name)]
public sealed class ProgressTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ARunningHandlersReports_ReachTheWaitingClient_AndTheRunningList()
    {
        var options = new GridClientOptions
        {
            Redis = new RedisOptions { Configuration = RedisServer.Endpoint },
            Queue = new QueueOptions { Namespace = "progress-" + Guid.NewGuid().ToString("N")[..10] },
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        await using var grid = await GridClient.ConnectAsync(options);
        await grid.Queue.ConfigureAsync();
        var handler = new HalfThenWait();
        var seen = new List<JobProgress>();
        await using (InProcessWorker.Start(grid.Queue, db, "progress-worker", new JobRegistry([handler])))
        {
            var id = await grid.SubmitAsync(new NoopSpec());
            var waiting = grid.WaitAsync(id, TimeSpan.FromSeconds(60), new Collect(seen));
            await Eventually.TrueAsync(() => { lock (seen) { return Task.FromResult(seen.Count > 0); } }, TimeSpan.FromSeconds(30));
            var running = Assert.Single((await grid.Queue.ListRunningAsync()).Items);
            handler.Finish.SetResult();
            await waiting;

            Assert.Equal(new JobProgress(0.5, "half way"), running.Progress);
            Assert.Equal(new JobProgress(0.5, "half way"), (await grid.StatusAsync(id)).Progress);
        }

        lock (seen)
        {
            Assert.Equal([new JobProgress(0.5, "half way")], seen);
        }
    }

    // noop that reports half way, then waits for the test.
    private sealed class HalfThenWait : IJobHandler
    {
        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => JobKinds.Noop;

        public async Task<string> RunAsync(JobContext context)
        {
            context.Report(0.5, "half way");
            await Finish.Task.WaitAsync(context.CancellationToken);
            return "{}";
        }
    }

    private sealed class Collect(List<JobProgress> seen) : IProgress<JobProgress>
    {
        public void Report(JobProgress value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
