using NflCompute.Core;

namespace NflCompute.Queue.Tests;

/// <summary>Pausing a class: claims skip it, running tasks finish, its tasks wait in order and start when it resumes.</summary>
public sealed class PauseTests(RedisServer redis) : QueueTestBase(redis)
{
    private static readonly string[] Gpu = ["gpu"];
    private static readonly string[] GpuThenCpu = ["gpu", "cpu"];

    [Fact]
    public async Task APausedClass_IsSkippedByClaims_ItsRunningTasksFinish_AndResumingStartsItsTasksInOrder()
    {
        var running = (await SubmitAsync()).Id;
        var claimedBefore = await ClaimOneAsync();
        var waiting = new[] { (await SubmitAsync()).Id, (await SubmitAsync()).Id };
        var other = (await SubmitAsync(cls: "gpu")).Id;

        await Queue.PauseAsync(Cpu);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var whilePaused = await Queue.ClaimAsync(Worker, GpuThenCpu, 10, Lease);
        await Queue.CompleteAsync(claimedBefore, "{}");
        var counts = await Queue.GetCountsAsync();

        Assert.Equal(running, claimedBefore.Id);
        Assert.Equal([other], whilePaused.Select(t => t.Id)); // the other class still runs
        Assert.Equal(TaskState.Completed, await StateOf(running)); // a running task finishes
        Assert.Equal(2, counts.PendingByClass["cpu"]);
        Assert.Equal(Clock.GetUtcNow() - TimeSpan.FromSeconds(1), Assert.Single(counts.Paused, p => p.Key == "cpu").Value);

        await Queue.ResumeAsync(Cpu);
        var afterResume = await Queue.ClaimAsync(Worker, Cpu, 10, Lease);

        Assert.Equal(waiting, afterResume.Select(t => t.Id));
        Assert.Empty((await Queue.GetCountsAsync()).Paused);
    }

    [Fact]
    public async Task PausingTwice_KeepsTheFirstTime_AndResumingAnUnpausedClassChangesNothing()
    {
        await Queue.PauseAsync(Gpu);
        var first = (await Queue.GetCountsAsync()).Paused["gpu"];
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Queue.PauseAsync(Gpu);
        await Queue.ResumeAsync(Cpu);

        var counts = await Queue.GetCountsAsync();
        Assert.Equal(first, counts.Paused["gpu"]);
        Assert.Single(counts.Paused);
    }

    [Fact]
    public async Task ResumingAClass_WakesAnIdleWorker()
    {
        await Queue.PauseAsync(Cpu);
        await SubmitAsync();
        var woken = 0;
        await using var wakeups = await Queue.SubscribeWakeAsync(() => Interlocked.Increment(ref woken));
        var before = Volatile.Read(ref woken);

        await Queue.ResumeAsync(Cpu);

        await Polling.UntilAsync(() => Volatile.Read(ref woken) > before, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PausingAClassTheGridDoesNotHave_IsRefused_AndPausesNothing()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Queue.PauseAsync(["cpu", "tpu"]));

        Assert.Contains("tpu", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Queue.GetCountsAsync()).Paused);
    }
}
