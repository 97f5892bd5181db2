using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>Workers run the scheduler: a recurring schedule's ticks become tasks that run, one per tick, with two workers.</summary>
[Collection(RedisCollection.Name)]
public sealed class SchedulerTests(RedisServer redis, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TwoWorkers_RunAOneSecondSchedule_OneTaskPerTick()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = "sched-" + Guid.NewGuid().ToString("N")[..8] });
        await queue.ConfigureAsync();
        await queue.PutScheduleAsync(new ScheduleDefinition { Name = "tick", Every = TimeSpan.FromSeconds(1), Kind = "noop", Missed = MissedTicks.RunAll });

        await using (InProcessWorker.Start(queue, db, "sched-a"))
        await using (InProcessWorker.Start(queue, db, "sched-b"))
        {
            await Eventually.TrueAsync(async () => (await queue.GetCountsAsync()).CompletedTotal >= 3, TimeSpan.FromSeconds(30));
        }

        await queue.PauseScheduleAsync("tick");
        var counts = await queue.GetCountsAsync();
        var tasks = counts.CompletedTotal + counts.Pending + counts.Running;
        // One idempotency key per tick fired: as many keys as tasks means no tick made two.
        var ticks = (long)await redis.Raw.GetDatabase().ExecuteAsync("EVAL", "return #redis.call('KEYS', KEYS[1] .. ':idem:schedule:tick:*')", 1, queue.Options.Prefix);
        Assert.True(counts.CompletedTotal >= 3, $"{counts.CompletedTotal} completed");
        Assert.Equal(ticks, tasks);
    }
}
