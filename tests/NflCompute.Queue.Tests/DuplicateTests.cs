namespace NflCompute.Queue.Tests;

/// <summary>What a duplicate submission (same idempotency key) does beyond returning the first task's id.</summary>
public sealed class DuplicateTests(RedisServer redis) : QueueTestBase(redis)
{
    private Task<SubmitResult> SubmitKeyedAsync(string key, string payload, DuplicatePolicy policy = DuplicatePolicy.FirstWins) =>
        Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Payload = payload, IdempotencyKey = key, OnDuplicate = policy });

    private async Task<long> WindowLeftMsAsync(string key) => (long)await Db.ExecuteAsync("EVAL", "return redis.call('PTTL', KEYS[1] .. ':idem:' .. ARGV[1])", 1, Prefix, key);

    private Task ShortenWindowAsync(string key) => Db.ExecuteAsync("EVAL", "return redis.call('PEXPIRE', KEYS[1] .. ':idem:' .. ARGV[1], 1000)", 1, Prefix, key);

    [Fact]
    public async Task Extend_RestartsTheKeysWindow_FirstWinsLeavesIt()
    {
        var first = await SubmitKeyedAsync("nightly", "{}");
        await ShortenWindowAsync("nightly"); // as if most of the window had passed

        var plain = await SubmitKeyedAsync("nightly", "{}");
        var leftAfterPlain = await WindowLeftMsAsync("nightly");
        var extended = await SubmitKeyedAsync("nightly", "{}", DuplicatePolicy.Extend);
        var leftAfterExtend = await WindowLeftMsAsync("nightly");

        Assert.Equal((first.Id, true), (plain.Id, plain.Duplicate));
        Assert.Equal((first.Id, true), (extended.Id, extended.Duplicate));
        Assert.InRange(leftAfterPlain, 0, 1000);
        Assert.True(leftAfterExtend > (long)Queue.Options.IdempotencyWindow.TotalMilliseconds - 5000, $"{leftAfterExtend} ms left");
    }

    [Theory]
    [InlineData("{\"v\": 2}")]                              // small: the queue entry carries it
    [InlineData("{\"v\": 2, \"pad\": \"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"}")] // big: read from the hash
    public async Task Replace_GivesAPendingTaskTheNewPayload_ItsClaimRunsIt(string replacement)
    {
        var first = await SubmitKeyedAsync("latest-odds", "{\"v\": 1}");
        var second = await SubmitKeyedAsync("latest-odds", replacement, DuplicatePolicy.Replace);
        var claimed = await ClaimOneAsync();

        Assert.Equal((first.Id, true, true), (second.Id, second.Duplicate, second.Replaced));
        Assert.Equal((first.Id, replacement), (claimed.Id, claimed.Payload));
        Assert.Equal(replacement, (await Queue.GetAsync(first.Id))!.Payload);
    }

    [Fact]
    public async Task Replace_LeavesAStartedTaskAsItIs()
    {
        var first = await SubmitKeyedAsync("latest-odds", "{\"v\": 1}");
        var claimed = await ClaimOneAsync();
        var second = await SubmitKeyedAsync("latest-odds", "{\"v\": 2}", DuplicatePolicy.Replace);

        Assert.Equal((first.Id, true, false), (second.Id, second.Duplicate, second.Replaced));
        Assert.Equal("{\"v\": 1}", claimed.Payload);
        Assert.Equal("{\"v\": 1}", (await Queue.GetAsync(first.Id))!.Payload);
    }

    [Fact]
    public async Task KeepLastIfActive_KeepsOneRunningAndOneWaitingPerKey_TheWaitingOneTakingTheLatestPayload()
    {
        var first = await SubmitKeyedAsync("refresh", "{\"v\": 1}", DuplicatePolicy.KeepLastIfActive);
        var running = await ClaimOneAsync();
        var second = await SubmitKeyedAsync("refresh", "{\"v\": 2}", DuplicatePolicy.KeepLastIfActive); // one runs: a new waiting task
        var third = await SubmitKeyedAsync("refresh", "{\"v\": 3}", DuplicatePolicy.KeepLastIfActive);  // replaces the waiting one

        Assert.Equal(first.Id, running.Id);
        Assert.NotEqual(first.Id, second.Id);
        Assert.False(second.Duplicate);
        Assert.Equal((second.Id, true, true), (third.Id, third.Duplicate, third.Replaced));
        var counts = await Queue.GetCountsAsync();
        Assert.Equal((1L, 1L), (counts.Running, counts.Pending));

        await Queue.CompleteAsync(running, "{}");
        var next = await ClaimOneAsync();
        Assert.Equal((second.Id, "{\"v\": 3}"), (next.Id, next.Payload));
        var fourth = await SubmitKeyedAsync("refresh", "{\"v\": 4}", DuplicatePolicy.KeepLastIfActive); // the waiting one started: new again
        Assert.NotEqual(second.Id, fourth.Id);
    }
}
