using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

public sealed class FairShareTests(RedisServer redis) : QueueTestBase(redis)
{
    private Task<IReadOnlyList<SubmitResult>> SubmitManyAsync(string submitter, int count, int priority = 0) =>
        Queue.SubmitBatchAsync([.. Enumerable.Range(0, count).Select(_ => new TaskSubmission { Kind = "noop", Submitter = submitter, Priority = priority })]);

    [Fact]
    public async Task OneSubmittersBacklog_DelaysAnothersTask_ByNoMoreThanOneClaimBatch()
    {
        for (var i = 0; i < 10; i++)
        {
            await SubmitManyAsync("alice", 1_000);
        }

        var bobs = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Submitter = "bob" });
        await SubmitAsync();
        Assert.Equal(
            new Dictionary<string, long> { ["alice"] = 10_000, ["bob"] = 1, [""] = 1 },
            (await Queue.GetOverviewAsync()).PendingBySubmitter["cpu"]);

        var batch = await Queue.ClaimAsync(Worker, Cpu, 32, Lease);
        Assert.Equal(32, batch.Count);
        Assert.Contains(bobs.Id, batch.Select(t => t.Id));
        Assert.Equal(10_000 + 2 - 32, (await Queue.GetCountsAsync()).PendingByClass["cpu"]);
    }

    [Fact]
    public async Task Submitters_TakeTurns_EachInTheOrderItSubmitted()
    {
        var order = new Dictionary<string, string>();
        foreach (var submitter in new[] { "a", "b", "c" })
        {
            foreach (var r in await SubmitManyAsync(submitter, 3))
            {
                order[r.Id] = submitter;
            }
        }

        var claimed = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            claimed.Add((await ClaimOneAsync()).Id);
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a", "b", "c"], claimed.Select(id => order[id]));
        Assert.Equal(order.Keys.Where(id => order[id] == "b"), claimed.Where(id => order[id] == "b"));
    }

    [Fact]
    public async Task ABatch_SharesItsSizeBetweenSubmitters_AndFillsUpFromWhoeverHasMore()
    {
        await SubmitManyAsync("big", 100);
        await SubmitManyAsync("small", 2);
        await SubmitManyAsync("mid", 20);

        var batch = await Queue.ClaimAsync(Worker, Cpu, 30, Lease);
        var bySubmitter = (await Task.WhenAll(batch.Select(t => Queue.GetAsync(t.Id)))).GroupBy(i => i!.Submitter!).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(new Dictionary<string, int> { ["big"] = 14, ["small"] = 2, ["mid"] = 14 }, bySubmitter);
    }

    [Fact]
    public async Task Priority_StillComesFirst_FairShareOrdersOnlyWithinALevel()
    {
        await SubmitManyAsync("alice", 5, priority: 0);
        var urgent = await SubmitManyAsync("bob", 2, priority: 10);

        var batch = await Queue.ClaimAsync(Worker, Cpu, 3, Lease);

        Assert.Equal(urgent.Select(r => r.Id), batch.Take(2).Select(t => t.Id));
    }

    [Fact]
    public async Task AStalledTask_KeepsItsPlace_AtTheHeadOfItsSubmittersTurn()
    {
        var alice = await SubmitManyAsync("alice", 2);
        var bob = await SubmitManyAsync("bob", 1);
        var first = await ClaimOneAsync();
        Assert.Equal(alice[0].Id, first.Id);
        await Queue.ReleaseAsync([first]);

        // Alice's turn came and went; her released task waits at the head of her queue.
        Assert.Equal([bob[0].Id, alice[0].Id, alice[1].Id], (await Queue.ClaimAsync(Worker, Cpu, 3, Lease)).Select(t => t.Id));
    }

    [Fact]
    public async Task TasksCancelledWhilePending_TakeNoTurn()
    {
        var alice = await SubmitManyAsync("alice", 2);
        var bob = await SubmitManyAsync("bob", 2);
        await Queue.CancelAsync(alice[0].Id);

        Assert.Equal([alice[1].Id, bob[0].Id, bob[1].Id], (await Queue.ClaimAsync(Worker, Cpu, 3, Lease)).Select(t => t.Id));
        Assert.Equal(0, (await Queue.GetCountsAsync()).PendingByClass["cpu"]);
    }

    [Fact]
    public async Task TheSubmitter_IsKeptWithTheTask_AndABadOneIsRefusedByName()
    {
        var r = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Submitter = "ana@lab-3" });
        Assert.Equal("ana@lab-3", (await Queue.GetAsync(r.Id))!.Submitter);
        Assert.Null((await Queue.GetAsync((await SubmitAsync()).Id))!.Submitter);

        var e = await Assert.ThrowsAsync<TaskRejectedException>(() => Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Submitter = "two words" }));
        Assert.Contains("Submitter", e.Message, StringComparison.Ordinal);
        Assert.Equal(TaskState.Pending, await StateOf(r.Id));
    }
}
