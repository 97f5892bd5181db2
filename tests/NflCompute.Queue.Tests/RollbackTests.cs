using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

/// <summary>
/// A Redis that forgot its last writes (the tail of an everysec log lost in a power cut, or a
/// replica promoted before it saw them) must not issue an id or a fencing token again: otherwise a
/// new task takes a lost one's id (and its saved result), and a forgotten claim completes its
/// successor's.
/// </summary>
public sealed class RollbackTests
{
    [Fact]
    public async Task ARedisRestoredFromAnOlderSnapshot_IssuesNoTaskIdOrFencingTokenAgain()
    {
        using var server = new PrivateRedisServer();
        var clock = new TestClock();
        var options = new QueueOptions { Namespace = "rollback" };
        string[] lostIds;
        ClaimedTask forgottenClaim;
        string snapshot;
        string keptId;
        await using (var before = await server.ConnectAsync())
        {
            var queue = new TaskQueue(before, options, clock);
            await queue.ConfigureAsync();
            keptId = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
            snapshot = server.Snapshot();

            // Acknowledged after the snapshot, so the restored Redis never heard of them.
            clock.Advance(TimeSpan.FromMilliseconds(400));
            lostIds = [.. (await queue.SubmitBatchAsync(Enumerable.Range(0, 50).Select(_ => new TaskSubmission { Kind = "noop" }).ToList())).Select(r => r.Id)];
            forgottenClaim = (await queue.ClaimAsync("worker-a", ["cpu"], 1, TimeSpan.FromSeconds(30)))[0];
            server.KillAndRestartFrom(snapshot);
        }

        clock.Advance(TimeSpan.FromSeconds(1)); // the restart takes time
        await using var after = await server.ConnectAsync();
        var restored = new TaskQueue(after, options, clock);
        var newIds = (await restored.SubmitBatchAsync(Enumerable.Range(0, 50).Select(_ => new TaskSubmission { Kind = "noop" }).ToList())).Select(r => r.Id).ToList();
        var reclaimed = (await restored.ClaimAsync("worker-b", ["cpu"], 1, TimeSpan.FromSeconds(30)))[0];

        Assert.Null(await restored.GetAsync(lostIds[0])); // the rollback really lost them
        Assert.Empty(newIds.Intersect(lostIds));
        Assert.Equal((keptId, keptId), (forgottenClaim.Id, reclaimed.Id));
        Assert.Equal(forgottenClaim.Attempt, reclaimed.Attempt); // the same attempt number, issued again
        Assert.NotEqual(forgottenClaim.FencingToken, reclaimed.FencingToken);
        await Assert.ThrowsAsync<LeaseLostException>(() => restored.CompleteAsync(forgottenClaim with { WorkerId = "worker-b" }, ""));
        await restored.CompleteAsync(reclaimed, "");
        Assert.Equal(TaskState.Completed, (await restored.GetAsync(keptId))!.State);
    }

    [Fact]
    public async Task AfterARestart_ATaskQueuedUnderTheEarlierRedis_IsNeverAFirstRun()
    {
        using var server = new PrivateRedisServer();
        var clock = new TestClock();
        var options = new QueueOptions { Namespace = "first-run" };
        string snapshot;
        string forgotten;
        await using (var before = await server.ConnectAsync())
        {
            var queue = new TaskQueue(before, options, clock);
            await queue.ConfigureAsync();
            await queue.ClaimAsync("worker-a", ["cpu"], 1, TimeSpan.FromSeconds(30)); // the serving process is known
            forgotten = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
            snapshot = server.Snapshot();

            // Claimed after the snapshot: a first run, and a claim the restored Redis will not remember.
            var claim = (await queue.ClaimAsync("worker-a", ["cpu"], 1, TimeSpan.FromSeconds(30)))[0];
            Assert.Equal((forgotten, true), (claim.Id, claim.FirstRun));
            server.KillAndRestartFrom(snapshot);
        }

        await using var after = await server.ConnectAsync();
        var restored = new TaskQueue(after, options, clock);
        // Queued after the restart but before its first claim: stamped with the earlier process's number.
        var beforeFirstClaim = (await restored.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        var reclaimed = await restored.ClaimAsync("worker-b", ["cpu"], 10, TimeSpan.FromSeconds(30));
        var queuedNow = (await restored.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        var last = Assert.Single(await restored.ClaimAsync("worker-b", ["cpu"], 10, TimeSpan.FromSeconds(30)));

        Assert.Equal([(forgotten, 1, false), (beforeFirstClaim, 1, false)], reclaimed.Select(t => (t.Id, t.Attempt, t.FirstRun)));
        Assert.Equal((queuedNow, true), (last.Id, last.FirstRun));
    }
}
