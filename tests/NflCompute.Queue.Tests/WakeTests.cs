using StackExchange.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>What an idle worker needs to start work on time: the delayed head's due time, and a wake-up when work is queued.</summary>
public sealed class WakeTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task AnEmptyClaim_SaysWhenTheEarliestDelayedTaskIsDue()
    {
        Assert.Null((await Queue.ClaimBatchAsync(Worker, Cpu, 4, Lease)).NextDelayedDueIn);
        await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromMilliseconds(2500) });
        await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromMilliseconds(1500) });

        var first = await Queue.ClaimBatchAsync(Worker, Cpu, 4, Lease);
        Clock.Advance(TimeSpan.FromMilliseconds(1000));
        var later = await Queue.ClaimBatchAsync(Worker, Cpu, 4, Lease);
        Clock.Advance(TimeSpan.FromMilliseconds(500));
        var due = await Queue.ClaimBatchAsync(Worker, Cpu, 4, Lease);

        Assert.Empty(first.Tasks);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), first.NextDelayedDueIn);
        Assert.Empty(later.Tasks);
        Assert.Equal(TimeSpan.FromMilliseconds(500), later.NextDelayedDueIn);
        Assert.Single(due.Tasks); // promoted and claimed the moment it is due
        Assert.Equal(TimeSpan.FromMilliseconds(1000), due.NextDelayedDueIn);
    }

    [Fact]
    public async Task QueuingWork_WakesSubscribers_OncePerCall_AndClaimingOrCompletingDoesNot()
    {
        // Messages arrive in the order they were published: a marker published last shows every
        // wake-up the calls before it sent. (A handler callback may run concurrently with the next
        // one, so the messages are read from the subscription's queue, which keeps their order.)
        var heard = new List<string>();
        var subscriber = Redis.Raw.GetSubscriber();
        var messages = await subscriber.SubscribeAsync(RedisChannel.Literal(Queue.WakeChannel));
        messages.OnMessage(m => { lock (heard) { heard.Add(m.Message!); } });
        var woken = 0;
        await using var wakeups = await Queue.SubscribeWakeAsync(() => Interlocked.Increment(ref woken));

        await Queue.SubmitBatchAsync([new TaskSubmission { Kind = "noop" }, new TaskSubmission { Kind = "noop" }]);
        await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromSeconds(5) });
        var claimed = await Queue.ClaimAsync(Worker, Cpu, 2, Lease);
        await Queue.CompleteAsync(claimed[1], "");
        await Queue.FailAsync(new TaskFailure(claimed[0], "once more", Retryable: true));
        // From the node that runs the scripts (the namespace's slot): on a Redis Cluster, messages
        // published on one node reach subscribers on another in order, but not across nodes.
        await Db.ExecuteAsync("EVAL", "return redis.call('PUBLISH', ARGV[1], 'marker')", 1, Prefix, Queue.WakeChannel);
        await Polling.UntilAsync(() => { lock (heard) { return heard.Contains("marker"); } }, TimeSpan.FromSeconds(10));
        await subscriber.UnsubscribeAsync(RedisChannel.Literal(Queue.WakeChannel));

        // The batch, the delayed submit and the retry; not the claim nor the completion.
        Assert.Equal(["1", "1", "1", "marker"], heard);
        await Polling.UntilAsync(() => Volatile.Read(ref woken) == 4, TimeSpan.FromSeconds(10)); // what SubscribeWakeAsync hears too
    }
}
