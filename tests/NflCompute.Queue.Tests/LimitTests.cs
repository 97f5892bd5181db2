namespace NflCompute.Queue.Tests;

/// <summary>Per-class concurrency and rate limits, enforced by the claim, grid-wide.</summary>
public sealed class LimitTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task AConcurrencyOfOne_RunsStrictlyOneTaskAtATime_InOrder_HoweverManyWorkersClaim()
    {
        await Queue.SetLimitsAsync("cpu", new ClassLimits(MaxRunning: 1));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await SubmitAsync()).Id);
        }

        var ran = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var a = await Queue.ClaimAsync("worker-a", Cpu, 10, Lease);
            var b = await Queue.ClaimAsync("worker-b", Cpu, 10, Lease);
            var claimed = Assert.Single(a.Concat(b));
            ran.Add(claimed.Id);
            Assert.Equal(1, (await Queue.GetCountsAsync()).Limits["cpu"].Running);
            await Queue.CompleteAsync(claimed, "{}");
        }

        Assert.Equal(ids, ran);
        Assert.Equal(0, (await Queue.GetCountsAsync()).Limits["cpu"].Running);
    }

    [Fact]
    public async Task EveryWayOutOfRunning_GivesItsSlotBack()
    {
        await Queue.SetLimitsAsync("cpu", new ClassLimits(MaxRunning: 1));
        for (var i = 0; i < 4; i++)
        {
            await SubmitAsync();
        }

        async Task<ClaimedTask> OnlyOne()
        {
            var claimed = await Queue.ClaimAsync(Worker, Cpu, 10, Lease);
            Assert.Empty(await Queue.ClaimAsync("other", Cpu, 10, Lease));
            return Assert.Single(claimed);
        }

        await Queue.FailAsync(new TaskFailure(await OnlyOne(), "flaky")); // a retry, later
        await Queue.ReleaseAsync([await OnlyOne()]);                        // handed back
        await OnlyOne();
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));                    // its lease lapses
        await Queue.RecoverAsync();
        await Queue.FailAsync(new TaskFailure(await OnlyOne(), "bad input", Retryable: false)); // to the DLQ

        var next = await OnlyOne();
        Assert.Equal(1, (await Queue.GetCountsAsync()).Limits["cpu"].Running);
        await Queue.CompleteAsync(next, "{}");
        Assert.Equal(0, (await Queue.GetCountsAsync()).Limits["cpu"].Running);
    }

    [Fact]
    public async Task ALimitSetWhileTasksRun_CountsThem_AndClearingItLetsEveryoneIn()
    {
        for (var i = 0; i < 5; i++)
        {
            await SubmitAsync();
        }

        var running = await Queue.ClaimAsync(Worker, Cpu, 2, Lease);
        await Queue.SetLimitsAsync("cpu", new ClassLimits(MaxRunning: 2));

        Assert.Empty(await Queue.ClaimAsync(Worker, Cpu, 10, Lease));
        Assert.Equal(2, (await Queue.GetCountsAsync()).Limits["cpu"].Running);
        await Queue.CompleteAsync(running[0], "{}");
        Assert.Single(await Queue.ClaimAsync(Worker, Cpu, 10, Lease));

        await Queue.SetLimitsAsync("cpu", ClassLimits.None);
        Assert.Equal(2, (await Queue.ClaimAsync(Worker, Cpu, 10, Lease)).Count);
        Assert.Empty((await Queue.GetCountsAsync()).Limits);
    }

    [Fact]
    public async Task ARateLimit_StartsABurstOfItsCount_ThenRefillsEvenlyOverItsWindow()
    {
        await Queue.SetLimitsAsync("cpu", new ClassLimits(Rate: new RateLimit(4, TimeSpan.FromSeconds(2))));
        for (var i = 0; i < 20; i++)
        {
            await SubmitAsync();
        }

        async Task<int> ClaimAll() => (await Queue.ClaimAsync(Worker, Cpu, 20, Lease)).Count;

        Assert.Equal(4, await ClaimAll());  // the full bucket
        Assert.Equal(0, await ClaimAll());
        Clock.Advance(TimeSpan.FromMilliseconds(1250)); // 2.5 tokens
        Assert.Equal(2, await ClaimAll());
        Clock.Advance(TimeSpan.FromMilliseconds(250));  // 0.5 + 0.5
        Assert.Equal(1, await ClaimAll());
        Clock.Advance(TimeSpan.FromMinutes(1));         // capped at the count
        Assert.Equal(4, await ClaimAll());
        Assert.Equal(new RateLimit(4, TimeSpan.FromSeconds(2)), (await Queue.GetCountsAsync()).Limits["cpu"].Rate);
    }

    [Theory]
    [InlineData("10/1s", 10, 1000)]
    [InlineData("600/1m", 600, 60_000)]
    [InlineData("5/00:00:02", 5, 2000)]
    [InlineData("1/250ms", 1, 250)]
    public void RateLimits_ParseFromText(string text, int tasks, int ms) =>
        Assert.Equal(new RateLimit(tasks, TimeSpan.FromMilliseconds(ms)), RateLimit.Parse(text));

    [Theory]
    [InlineData("0/1s")]
    [InlineData("10")]
    [InlineData("10/fortnight")]
    [InlineData("x/1s")]
    public void BadRateLimits_AreRefused_SayingTheForm(string text) =>
        Assert.Contains("N/DURATION", Assert.Throws<FormatException>(() => RateLimit.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public async Task ALimitBelowOne_OrOnAnUnknownClass_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.SetLimitsAsync("cpu", new ClassLimits(MaxRunning: 0)));
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.SetLimitsAsync("tpu", new ClassLimits(MaxRunning: 1)));
        Assert.Empty((await Queue.GetCountsAsync()).Limits);
    }
}
