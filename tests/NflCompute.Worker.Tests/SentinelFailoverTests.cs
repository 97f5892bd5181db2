using System.Diagnostics;
using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Queue;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>
/// Worker processes on a Sentinel deployment whose master is SIGKILLed mid-run: they follow the
/// failover without a restart, every acknowledged task completes once (a completion the promoted
/// replica never saw is finished from its durable result, not run again), and none dies.
/// </summary>
public sealed class SentinelFailoverTests(PostgresServer postgres, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task WorkersFollowAFailover_EveryAcknowledgedTaskCompletesOnce_AndNoWorkerDies()
    {
        using var group = new SentinelGroup();
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var ns = "failover-" + Guid.NewGuid().ToString("N")[..8];
        await using var gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = group.Configuration, WaitForReplicas = 1 });
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = ns });
        await queue.ConfigureAsync();
        // A backlog before the workers start, so there is work to resume after the failover
        // however fast they are; more arrives while the master is killed.
        var acknowledged = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            acknowledged.AddRange((await queue.SubmitBatchAsync(Enumerable.Range(0, 100).Select(_ => new TaskSubmission { Kind = "noop" }).ToList())).Select(r => r.Id));
        }

        var workers = Enumerable.Range(0, 2).Select(n => RunningWorker.Start(postgres, group.Configuration, ns, PostgresServer.DatabaseOf(db),
            ("NFLC_Worker__WorkerId", $"w{n}"), ("NFLC_Worker__Lease", "00:00:03"), ("NFLC_Worker__RegistrationTtl", "00:00:04"),
            ("NFLC_Worker__RecoveryInterval", "00:00:01"), ("NFLC_Worker__Concurrency", "8"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{RunningWorker.FreePort()}"))).ToList();
        try
        {
            using var stop = new CancellationTokenSource();
            var submitting = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested && acknowledged.Count < 6000)
                {
                    try
                    {
                        var batch = await queue.SubmitBatchAsync(Enumerable.Range(0, 50).Select(_ => new TaskSubmission { Kind = "noop" }).ToList());
                        lock (acknowledged)
                        {
                            acknowledged.AddRange(batch.Select(r => r.Id));
                        }
                    }
                    catch (GridUnavailableException)
                    {
                        // Not acknowledged: it may or may not have been stored, and is not counted.
                    }

                    await Task.Delay(20);
                }
            });
            await Eventually.TrueAsync(async () => await CompletedAsync(queue) >= 300, TimeSpan.FromSeconds(60));
            var failover = group.KillMasterAndAwaitFailover();
            var resuming = Stopwatch.StartNew();
            // Completions as Redis counts them (Postgres commits a batch before Redis completes it).
            var completedAtFailover = -1L;
            await Eventually.TrueAsync(async () => (completedAtFailover = await CompletedAsync(queue)) >= 0, TimeSpan.FromSeconds(15));
            await Eventually.TrueAsync(async () => await CompletedAsync(queue) > completedAtFailover + 100, TimeSpan.FromSeconds(15));
            var resumedAfter = resuming.Elapsed;
            await submitting;
            await stop.CancelAsync();

            List<string> ids;
            lock (acknowledged)
            {
                ids = [.. acknowledged];
            }

            foreach (var id in ids)
            {
                var done = await queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
                Assert.True(done.State == TaskState.Completed, $"{id}: {done.State} {done.Error}");
            }

            var results = await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM results");
            var ranTwice = await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM (SELECT task_id FROM task_attempts WHERE status = 'completed' GROUP BY task_id HAVING count(*) > 1) twice");
            var fromDurable = await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM task_attempts WHERE status = 'already-durable'");
            output.WriteLine($"sentinel failover under workers: promotion {failover.TotalSeconds:F1} s after the kill, completions resumed {resumedAfter.TotalSeconds:F1} s after it; {ids.Count} acknowledged tasks, {results} results, {ranTwice} run twice, {fromDurable} completed from a durable result");
            Assert.True(results >= ids.Count, $"{results} results for {ids.Count} acknowledged tasks");
            Assert.Equal(0L, ranTwice);
            Assert.All(workers, w => Assert.False(w.Process.HasExited, $"a worker exited ({(w.Process.HasExited ? w.Process.ExitCode : 0)}): {w.Output}"));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    // Completed tasks, or -1 while Redis does not answer (mid-failover).
    private static async Task<long> CompletedAsync(TaskQueue queue)
    {
        try
        {
            return (await queue.GetCountsAsync()).CompletedTotal;
        }
        catch (GridUnavailableException)
        {
            return -1;
        }
    }
}
