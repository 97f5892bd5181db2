using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

public sealed class CancelTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task Cancel_APendingTask_RemovesItFromItsQueue()
    {
        var id = (await SubmitAsync()).Id;

        Assert.Equal(TaskState.Pending, await Queue.CancelAsync(id));

        Assert.Equal(TaskState.Cancelled, await StateOf(id));
        Assert.Empty(await Queue.ClaimAsync(Worker, Cpu, 1, Lease));
        Assert.Equal(1, (await Queue.GetCountsAsync()).CancelledTotal);
    }

    [Fact]
    public async Task Cancel_ADelayedTask_RemovesItFromTheDelayedSet()
    {
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromSeconds(5) })).Id;

        Assert.Equal(TaskState.Delayed, await Queue.CancelAsync(id));

        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(await Queue.ClaimAsync(Worker, Cpu, 1, Lease));
        Assert.Equal(0, (await Queue.GetCountsAsync()).Delayed);
    }

    [Fact]
    public async Task Cancel_AWaitingTask_KeepsItFromRunningWhenItsParentCompletes()
    {
        var parent = await SubmitAsync();
        var child = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", DependsOn = [parent.Id] });

        Assert.Equal(TaskState.Waiting, await Queue.CancelAsync(child.Id));
        await Queue.CompleteAsync(await ClaimOneAsync(), "");

        Assert.Equal(TaskState.Cancelled, await StateOf(child.Id));
        Assert.Empty(await Queue.ClaimAsync(Worker, Cpu, 1, Lease));
        Assert.Equal(0, (await Queue.GetCountsAsync()).Waiting);
    }

    [Fact]
    public async Task Cancel_ARunningTask_IsSeenAtTheNextHeartbeat_AndEndsWhenTheWorkerLetsGo()
    {
        var id = (await SubmitAsync()).Id;
        var task = await ClaimOneAsync();

        Assert.Equal(TaskState.Running, await Queue.CancelAsync(id));
        Assert.True((await Queue.GetAsync(id))!.CancelRequested);
        var beat = await Queue.HeartbeatAsync(Worker, [task], Lease, TimeSpan.FromMinutes(1));
        Assert.Equal([id], beat.CancelRequested);

        Assert.Equal([ReleaseOutcome.Cancelled], await Queue.ReleaseAsync([task]));
        Assert.Equal(TaskState.Cancelled, await StateOf(id));
    }

    [Fact]
    public async Task Cancel_ARunningTaskWhoseWorkerDies_EndsCancelledAtRecovery()
    {
        var id = (await SubmitAsync()).Id;
        await ClaimOneAsync();
        await Queue.CancelAsync(id);

        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var report = await Queue.RecoverAsync();

        Assert.Equal((1, 0), (report.Cancelled, report.Requeued));
        Assert.Equal(TaskState.Cancelled, await StateOf(id));
    }

    [Fact]
    public async Task Cancel_AFinishedTask_SaysItAlreadyEnded_AndAnUnknownOneIsNotFound()
    {
        await SubmitAsync();
        var task = await ClaimOneAsync();
        await Queue.CompleteAsync(task, "");

        var ended = await Assert.ThrowsAsync<InvalidTaskStateException>(() => Queue.CancelAsync(task.Id));
        Assert.Equal(TaskState.Completed, ended.State);
        await Assert.ThrowsAsync<TaskNotFoundException>(() => Queue.CancelAsync("zzzzzzzzzzzzzzzzzzzz"));
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.CancelAsync("../etc"));
    }
}
