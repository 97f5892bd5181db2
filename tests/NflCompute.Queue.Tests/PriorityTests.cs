namespace NflCompute.Queue.Tests;

public sealed class PriorityTests(RedisServer redis) : QueueTestBase(redis)
{
    protected override void Configure(QueueOptions options) => options.AgingPointsPerMinute = 1;

    [Fact]
    public async Task Claim_TakesHigherPriorityFirst_AndFifoWithinAPriority()
    {
        var low1 = await SubmitAsync(priority: 1);
        var high1 = await SubmitAsync(priority: 5);
        var low2 = await SubmitAsync(priority: 1);
        var high2 = await SubmitAsync(priority: 5);
        var mid = await SubmitAsync(priority: 3);

        var order = (await Queue.ClaimAsync(Worker, Cpu, 10, Lease)).Select(t => t.Id);

        Assert.Equal([high1.Id, high2.Id, mid.Id, low1.Id, low2.Id], order);
    }

    [Fact]
    public async Task Claim_IsFifoAcrossManyTasksSubmittedInTheSameMillisecond()
    {
        var ids = (await Queue.SubmitBatchAsync(Enumerable.Range(0, 50).Select(_ => new TaskSubmission { Kind = "noop" }).ToList())).Select(r => r.Id).ToList();

        var claimed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            claimed.AddRange((await Queue.ClaimAsync(Worker, Cpu, 10, Lease)).Select(t => t.Id));
        }

        Assert.Equal(ids, claimed);
    }

    // At 1 point per minute, a priority-0 task that waited longer than 10 minutes outranks a fresh
    // priority-10 task: 0 + 1 * t > 10 exactly when t > 10 min.
    [Theory]
    [InlineData(-1, false)]
    [InlineData(+1, true)]
    public async Task Aging_AnOldLowPriorityTask_OvertakesAFreshHighOne_ExactlyWhenTheFormulaSays(int offsetMs, bool oldWins)
    {
        var old = await SubmitAsync(priority: 0);
        Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(offsetMs));
        var fresh = await SubmitAsync(priority: 10);

        var first = await ClaimOneAsync();

        Assert.Equal(oldWins ? old.Id : fresh.Id, first.Id);
    }

    [Fact]
    public async Task Aging_Disabled_KeepsStrictPriorityOrder()
    {
        var queue = await NewQueueAsync(o => o.AgingPointsPerMinute = 0);
        var old = await queue.SubmitAsync(new TaskSubmission { Kind = "noop", Priority = 0 });
        Clock.Advance(TimeSpan.FromDays(30));
        var fresh = await queue.SubmitAsync(new TaskSubmission { Kind = "noop", Priority = 1 });

        var order = (await queue.ClaimAsync(Worker, Cpu, 2, Lease)).Select(t => t.Id);

        Assert.Equal([fresh.Id, old.Id], order);
    }

    [Fact]
    public async Task Claim_TriesClassesInTheWorkersOrder_AndNeverOthers()
    {
        var cpu = await SubmitAsync(cls: "cpu", priority: 100);
        var gpu = await SubmitAsync(cls: "gpu");
        var gpuHigh = await SubmitAsync(cls: "gpu-high");

        var gpuWorker = await Queue.ClaimAsync("gpu-worker", ["gpu-high", "gpu"], 10, Lease);
        var cpuWorker = await Queue.ClaimAsync("cpu-worker", ["cpu"], 10, Lease);

        Assert.Equal([gpuHigh.Id, gpu.Id], gpuWorker.Select(t => t.Id));
        Assert.Equal([cpu.Id], cpuWorker.Select(t => t.Id));
    }

    [Fact]
    public async Task Claim_FromAClassTheGridDoesNotHave_IsAnArgumentError()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Queue.ClaimAsync(Worker, ["tpu"], 1, Lease));

        Assert.Contains("Unknown class 'tpu'", error.Message, StringComparison.Ordinal);
    }
}
