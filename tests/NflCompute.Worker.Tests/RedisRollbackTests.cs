using NflCompute.Core;
using NflCompute.Jobs;
using NflCompute.Jobs.Noop;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>
/// A Redis that forgot its last writes (restored from an older snapshot, as after losing the tail
/// of an everysec log) while Postgres kept the results of the tasks it forgot: a new task must get
/// its own result, never a forgotten task's.
/// </summary>
public sealed class RedisRollbackTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task AfterARedisRollback_NewTasksGetTheirOwnResults_AndNoSavedResultIsRewritten()
    {
        using var server = new PrivateRedisServer();
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var options = new QueueOptions { Namespace = "rollback" };
        var echo = new JobRegistry([new EchoHandler()]);

        string snapshot;
        List<string> forgotten;
        await using (var before = await server.ConnectAsync())
        {
            var queue = new TaskQueue(before, options);
            await queue.ConfigureAsync();
            snapshot = server.Snapshot();
            forgotten = await RunAsync(queue, db, echo, "before");
            server.KillAndRestartFrom(snapshot);
        }

        await using var after = await server.ConnectAsync();
        var restored = new TaskQueue(after, options);
        Assert.Null(await restored.GetAsync(forgotten[0])); // Redis really forgot them
        var fresh = await RunAsync(restored, db, echo, "after");

        Assert.Empty(fresh.Intersect(forgotten));
        var results = new ResultStore(db, options.Namespace);
        for (var i = 0; i < fresh.Count; i++)
        {
            Assert.Equal($$"""{"n": {{i}}, "wave": "after"}""", (await results.ReadAsync(fresh[i]))!.Value.ResultJson);
            Assert.Equal($$"""{"n": {{i}}, "wave": "before"}""", (await results.ReadAsync(forgotten[i]))!.Value.ResultJson);
        }

        Assert.Equal(0L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM result_writes WHERE action <> 'insert'"));
    }

    [Fact]
    public async Task AfterARedisRollback_ATaskWhoseResultIsDurable_IsCompletedFromIt_NotRunAgain()
    {
        using var server = new PrivateRedisServer();
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var options = new QueueOptions { Namespace = "rollback-rerun" };
        var counting = new CountingEcho();
        var handlers = new JobRegistry([counting]);

        List<string> ids;
        await using (var before = await server.ConnectAsync())
        {
            var queue = new TaskQueue(before, options);
            await queue.ConfigureAsync();
            // The grid's first claim: from here on its tasks are first runs on this Redis process.
            await queue.ClaimAsync("nobody", ["cpu"], 1, TimeSpan.FromSeconds(30));
            ids = [.. (await queue.SubmitBatchAsync(Enumerable.Range(0, 20)
                .Select(i => new TaskSubmission { Kind = NoopHandler.TaskKind, Payload = $$"""{"n": {{i}}}""" }).ToList())).Select(r => r.Id)];
            var snapshot = server.Snapshot();
            await CompleteAllAsync(queue, db, handlers, ids, "worker-before");
            server.KillAndRestartFrom(snapshot); // forgets every claim and completion
        }

        await using var after = await server.ConnectAsync();
        var restored = new TaskQueue(after, options);
        foreach (var id in ids)
        {
            Assert.Equal(TaskState.Pending, (await restored.GetAsync(id))!.State);
        }

        await CompleteAllAsync(restored, db, handlers, ids, "worker-after");

        Assert.Equal(ids.Count, counting.Runs);
        Assert.Equal((long)ids.Count, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM task_attempts WHERE worker_id = 'worker-after' AND status = 'already-durable'"));
        Assert.Equal(0L, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM result_writes WHERE action <> 'insert'"));
    }

    private static async Task CompleteAllAsync(TaskQueue queue, Npgsql.NpgsqlDataSource db, JobRegistry handlers, List<string> ids, string workerId)
    {
        await using (InProcessWorker.Start(queue, db, workerId, handlers))
        {
            foreach (var id in ids)
            {
                Assert.Equal(TaskState.Completed, (await queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100))).State);
            }
        }
    }

    // Submits 20 tasks whose results name them, and runs them to completion on a worker.
    private static async Task<List<string>> RunAsync(TaskQueue queue, Npgsql.NpgsqlDataSource db, JobRegistry handlers, string wave)
    {
        var ids = (await queue.SubmitBatchAsync(Enumerable.Range(0, 20)
            .Select(i => new TaskSubmission { Kind = NoopHandler.TaskKind, Payload = $$"""{"n": {{i}}, "wave": "{{wave}}"}""" }).ToList()))
            .Select(r => r.Id).ToList();
        await using (InProcessWorker.Start(queue, db, "worker-" + wave, handlers))
        {
            foreach (var id in ids)
            {
                var done = await queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
                Assert.Equal(TaskState.Completed, done.State);
            }
        }

        return ids;
    }

    // The echo job, counting its runs.
    private sealed class CountingEcho : IJobHandler
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public string Kind => NoopHandler.TaskKind;

        public Task<string> RunAsync(JobContext context)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(context.Task.Payload);
        }
    }
}
