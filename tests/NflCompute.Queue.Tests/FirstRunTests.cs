namespace NflCompute.Queue.Tests;

/// <summary>
/// A claim says "first run" only where no earlier claim of the task can exist, so a worker may
/// skip looking in Postgres for an earlier attempt's durable result. Every other way a task comes
/// back must say otherwise. (A Redis that forgot a claim: RollbackTests.)
/// </summary>
public sealed class FirstRunTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task OnlyATaskQueuedUnderTheServingRedis_AndNeverClaimed_IsAFirstRun()
    {
        // Queued before the grid's first claim: which Redis process it was queued under is not known yet.
        var early = (await SubmitAsync()).Id;
        var claimed = await ClaimOneAsync();
        Assert.Equal((early, false), (claimed.Id, claimed.FirstRun));
        await Queue.CompleteAsync(claimed, "");

        var fresh = (await SubmitAsync()).Id;
        claimed = await ClaimOneAsync();
        Assert.Equal((fresh, true), (claimed.Id, claimed.FirstRun));

        // Handed back unrun, then claimed again.
        await Queue.ReleaseAsync([claimed]);
        claimed = await ClaimOneAsync();
        Assert.Equal((fresh, false), (claimed.Id, claimed.FirstRun));

        // A retry after a failure.
        await Queue.FailAsync(new TaskFailure(claimed, "flaky"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        claimed = await ClaimOneAsync();
        Assert.Equal((fresh, 3, false), (claimed.Id, claimed.Attempt, claimed.FirstRun));

        // Recovered from a worker whose lease lapsed.
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Queue.RecoverAsync();
        claimed = await ClaimOneAsync();
        Assert.Equal((fresh, false), (claimed.Id, claimed.FirstRun));
        await Queue.CompleteAsync(claimed, "");
    }

    [Fact]
    public async Task DelayedAndDependentTasks_AreNotTakenForFirstRuns()
    {
        await Queue.ClaimAsync(Worker, Cpu, 1, Lease); // the grid's first claim: its Redis process is known from here on
        var parent = (await SubmitAsync()).Id;
        var delayed = (await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromSeconds(5) })).Id;
        var child = (await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", DependsOn = [parent] })).Id;

        var first = await ClaimOneAsync();
        Assert.Equal((parent, true), (first.Id, first.FirstRun));
        await Queue.CompleteAsync(first, "");
        Clock.Advance(TimeSpan.FromSeconds(5));
        var rest = await Queue.ClaimAsync(Worker, Cpu, 10, Lease);

        Assert.Equal(new[] { child, delayed }.Order(), rest.Select(t => t.Id).Order());
        Assert.All(rest, t => Assert.False(t.FirstRun));
    }
}
