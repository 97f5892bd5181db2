using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

public sealed class DeadLetterTests(RedisServer redis) : QueueTestBase(redis)
{
    private async Task<string> FailForGoodAsync(string error)
    {
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = "compare", MaxAttempts = 1 })).Id;
        var task = Assert.Single(await Queue.ClaimAsync(Worker, Cpu, 1, Lease), t => t.Id == id);
        await Queue.FailAsync(new TaskFailure(task, error));
        Clock.Advance(TimeSpan.FromSeconds(1));
        return id;
    }

    [Fact]
    public async Task TheDlq_ListsNewestFirst_WithKindAttemptsTimeAndError()
    {
        var first = await FailForGoodAsync("first");
        var second = await FailForGoodAsync("second");

        var page = await Queue.ListDeadLettersAsync();

        Assert.Equal(2, page.Total);
        Assert.Equal([second, first], page.Items.Select(d => d.Id));
        var newest = page.Items[0];
        Assert.Equal(("compare", "cpu", 1, "attempt 1 of 1 failed: second"), (newest.Kind, newest.Class, newest.Attempts, newest.Error));
        Assert.Equal(Clock.GetUtcNow() - TimeSpan.FromSeconds(1), newest.FailedAt);
        Assert.Equal([first], (await Queue.ListDeadLettersAsync(offset: 1, count: 5)).Items.Select(d => d.Id));
    }

    [Fact]
    public async Task Requeue_GivesAFailedTaskAFreshStart()
    {
        var id = await FailForGoodAsync("boom");

        await Queue.RequeueDeadLetterAsync(id);
        var retried = await ClaimOneAsync();
        Assert.Equal(FailOutcomeKind.Failed, (await Queue.FailAsync(new TaskFailure(retried, "boom again"))).Kind);
        Assert.Contains("attempt 1 of 1 failed", (await Queue.GetAsync(id))!.Error, StringComparison.Ordinal);
        await Queue.RequeueDeadLetterAsync(id);

        var task = await ClaimOneAsync();
        Assert.Equal((id, 3), (task.Id, task.Attempt)); // claims keep counting; the budget is fresh
        Assert.Equal(0, (await Queue.GetCountsAsync()).DeadLetters);
        await Queue.CompleteAsync(task, "fine now");
        Assert.Equal(TaskState.Completed, await StateOf(id));
        await Assert.ThrowsAsync<InvalidTaskStateException>(() => Queue.RequeueDeadLetterAsync(id));
    }

    [Fact]
    public async Task RequeueAll_TakesTheOldestFirst_UpToTheLimit()
    {
        var ids = new[] { await FailForGoodAsync("a"), await FailForGoodAsync("b"), await FailForGoodAsync("c") };

        Assert.Equal(2, await Queue.RequeueAllDeadLettersAsync(max: 2));

        Assert.Equal([ids[2]], (await Queue.ListDeadLettersAsync()).Items.Select(d => d.Id));
        Assert.Equal(2, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Purge_DeletesFailedTasks_OlderThanTheCutoff()
    {
        var old = await FailForGoodAsync("old");
        var cutoff = Clock.GetUtcNow();
        var recent = await FailForGoodAsync("recent");

        Assert.Equal(1, await Queue.PurgeDeadLettersAsync(failedBefore: cutoff));
        Assert.Null(await Queue.GetAsync(old));
        Assert.Equal([recent], (await Queue.ListDeadLettersAsync()).Items.Select(d => d.Id));
        Assert.Equal(1, await Queue.PurgeDeadLettersAsync());
        Assert.Equal(0, (await Queue.GetCountsAsync()).DeadLetters);
    }
}
