namespace NflCompute.Queue.Tests;

/// <summary>Progress travels with the heartbeat and shows in status, the running list and waits.</summary>
public sealed class ProgressTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task ProgressSentWithAHeartbeat_ShowsInStatusAndTheRunningList_AndAnUnchangedOneIsKept()
    {
        var id = (await SubmitAsync()).Id;
        var task = await ClaimOneAsync();

        await Queue.HeartbeatWithProgressAsync(Worker, [(task, JobProgress.Of(0.25, "bootstrap 1 of 4"))], Lease, TimeSpan.FromMinutes(1));
        await Queue.HeartbeatWithProgressAsync(Worker, [(task, null)], Lease, TimeSpan.FromMinutes(1));

        Assert.Equal(new JobProgress(0.25, "bootstrap 1 of 4"), (await Queue.GetAsync(id))!.Progress);
        Assert.Equal(new JobProgress(0.25, "bootstrap 1 of 4"), Assert.Single((await Queue.ListRunningAsync()).Items).Progress);
    }

    [Fact]
    public async Task AProgressReport_IsChecked_AndAStaleHolderCannotWriteOne()
    {
        var id = (await SubmitAsync()).Id;
        var task = await ClaimOneAsync();
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Queue.RecoverAsync();

        var reply = await Queue.HeartbeatWithProgressAsync(Worker, [(task, JobProgress.Of(0.9))], Lease, TimeSpan.FromMinutes(1));

        Assert.Equal([id], reply.Lost);
        Assert.Null((await Queue.GetAsync(id))!.Progress);
        Assert.Equal(new JobProgress(1, new string('x', JobProgress.MaxMessageLength)), JobProgress.Of(7, "\n" + new string('x', 500)));
        Assert.Equal(0, JobProgress.Of(-3).Fraction);
        Assert.Throws<ArgumentOutOfRangeException>(() => JobProgress.Of(double.NaN));
    }

    [Fact]
    public async Task AWait_ReportsEachNewProgress_ThenReturnsTheFinishedTask()
    {
        var id = (await SubmitAsync()).Id;
        var task = await ClaimOneAsync();
        var seen = new List<JobProgress>();
        var reporter = new Collect(seen);
        var waiting = Queue.WaitAsync(id, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20), reporter);

        await Queue.HeartbeatWithProgressAsync(Worker, [(task, JobProgress.Of(0.5, "half"))], Lease, TimeSpan.FromMinutes(1));
        await Polling.UntilAsync(() => { lock (seen) { return seen.Count == 1; } }, TimeSpan.FromSeconds(10));
        await Queue.CompleteAsync(task, "{}");
        var done = await waiting;

        Assert.Equal(Core.TaskState.Completed, done.State);
        lock (seen)
        {
            Assert.Equal([new JobProgress(0.5, "half")], seen); // once, however many polls saw it
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
