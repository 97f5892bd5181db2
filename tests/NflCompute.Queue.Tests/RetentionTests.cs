using NflCompute.Core;

namespace NflCompute.Queue.Tests;

/// <summary>What Redis keeps of finished tasks: completed ones by age and by count, dead letters by age.</summary>
public sealed class RetentionTests(RedisServer redis) : QueueTestBase(redis)
{
    protected override void Configure(QueueOptions options)
    {
        options.CompletedMaxCount = 3;
        options.DeadLetterRetention = TimeSpan.FromHours(1);
    }

    [Fact]
    public async Task BeyondTheMostKept_TheOldestCompletedTasksAreDeleted_AsNewOnesComplete()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await SubmitAsync()).Id);
            await Queue.CompleteAsync(await ClaimOneAsync(), "{}");
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Trimmed by the completions themselves: no recovery pass needed, however fast they come.
        Assert.Null(await Queue.GetAsync(ids[0]));
        Assert.Null(await Queue.GetAsync(ids[1]));
        foreach (var kept in ids.Skip(2))
        {
            Assert.Equal(TaskState.Completed, await StateOf(kept));
        }

        Assert.Equal(3L, (long)await Db.ExecuteAsync("EVAL", "return redis.call('ZCARD', KEYS[1] .. ':done')", 1, Prefix));
    }

    [Fact]
    public async Task DeadLettersPastTheirRetention_AreDeleted_YoungerOnesStay()
    {
        var old = (await SubmitAsync()).Id;
        await Queue.FailAsync(new TaskFailure(await ClaimOneAsync(), "bad input", Retryable: false));
        Clock.Advance(TimeSpan.FromMinutes(40));
        var young = (await SubmitAsync()).Id;
        await Queue.FailAsync(new TaskFailure(await ClaimOneAsync(), "bad input", Retryable: false));
        Clock.Advance(TimeSpan.FromMinutes(30));

        var report = await Queue.RecoverAsync();

        Assert.Equal(1, report.DeadLettersExpired);
        Assert.Null(await Queue.GetAsync(old));
        Assert.Equal(TaskState.Failed, await StateOf(young));
        Assert.Equal([young], (await Queue.ListDeadLettersAsync()).Items.Select(d => d.Id));
    }

    [Fact]
    public async Task ZeroMeansNoBound()
    {
        var queue = await NewQueueAsync(o => { o.CompletedMaxCount = 0; o.DeadLetterRetention = TimeSpan.Zero; });
        for (var i = 0; i < 4; i++)
        {
            await queue.SubmitAsync(new TaskSubmission { Kind = "noop" });
        }

        var claimed = await queue.ClaimAsync(Worker, Cpu, 4, Lease);
        await queue.CompleteManyAsync([.. claimed.Take(3).Select(t => (t, "{}"))]);
        await queue.FailAsync(new TaskFailure(claimed[3], "bad", Retryable: false));
        Clock.Advance(TimeSpan.FromDays(365));
        var report = await queue.RecoverAsync();

        Assert.Equal(3, report.Expired); // by age (CompletedRetention, 1 day), not by count
        Assert.Equal(0, report.DeadLettersExpired);
        Assert.Single((await queue.ListDeadLettersAsync()).Items);
    }
}
