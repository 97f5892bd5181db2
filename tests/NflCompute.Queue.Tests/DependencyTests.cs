using NflCompute.Core;

namespace NflCompute.Queue.Tests;

public sealed class DependencyTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task AChild_RunsOnlyAfterAllItsParentsComplete()
    {
        var a = await SubmitAsync("load");
        var b = await SubmitAsync("load");
        var child = await Queue.SubmitAsync(new TaskSubmission { Kind = "compare", DependsOn = [a.Id, b.Id] });
        Assert.Equal(TaskState.Waiting, await StateOf(child.Id));

        var parents = await Queue.ClaimAsync(Worker, Cpu, 10, Lease);
        Assert.Equal([a.Id, b.Id], parents.Select(t => t.Id));
        await Queue.CompleteAsync(parents[0], "");
        Assert.Equal(TaskState.Waiting, await StateOf(child.Id));
        Assert.Empty(await Queue.ClaimAsync(Worker, Cpu, 10, Lease));
        await Queue.CompleteAsync(parents[1], "");

        Assert.Equal(TaskState.Pending, await StateOf(child.Id));
        Assert.Equal(child.Id, (await ClaimOneAsync()).Id);
    }

    [Fact]
    public async Task ABatch_CanChainItsOwnTasks()
    {
        var ids = await Queue.SubmitBatchAsync(
        [
            new TaskSubmission { Kind = "load" },
            new TaskSubmission { Kind = "ratings", DependsOn = [TaskSubmission.InBatch(0)] },
            new TaskSubmission { Kind = "simulate", DependsOn = [TaskSubmission.InBatch(1)] },
        ]);

        var ran = new List<string>();
        for (var step = 0; step < 3; step++)
        {
            var task = Assert.Single(await Queue.ClaimAsync(Worker, Cpu, 10, Lease));
            ran.Add(task.Kind);
            await Queue.CompleteAsync(task, "");
        }

        Assert.Equal(["load", "ratings", "simulate"], ran);
        foreach (var r in ids)
        {
            Assert.Equal(TaskState.Completed, await StateOf(r.Id));
        }
    }

    [Fact]
    public async Task AFailedParent_FailsItsChildrenIntoTheDlq_OrCancelsThem_ByTheirPolicy_Transitively()
    {
        var parent = await Queue.SubmitAsync(new TaskSubmission { Kind = "load", MaxAttempts = 1 });
        var failing = await Queue.SubmitAsync(new TaskSubmission { Kind = "a", DependsOn = [parent.Id] });
        var grandchild = await Queue.SubmitAsync(new TaskSubmission { Kind = "b", DependsOn = [failing.Id], OnParentFailure = ParentFailurePolicy.Cancel });
        var cancelling = await Queue.SubmitAsync(new TaskSubmission { Kind = "c", DependsOn = [parent.Id], OnParentFailure = ParentFailurePolicy.Cancel });

        var task = await ClaimOneAsync();
        await Queue.FailAsync(new TaskFailure(task, "bad rows"));

        var failed = await Queue.GetAsync(failing.Id);
        Assert.Equal((TaskState.Failed, $"parent {parent.Id} failed"), (failed!.State, failed.Error));
        Assert.Equal(TaskState.Cancelled, await StateOf(cancelling.Id));
        Assert.Equal((TaskState.Cancelled, $"parent {failing.Id} failed"), ((await Queue.GetAsync(grandchild.Id))!.State, (await Queue.GetAsync(grandchild.Id))!.Error));
        var counts = await Queue.GetCountsAsync();
        Assert.Equal((2, 0, 0L), (counts.DeadLetters, counts.Waiting, counts.Pending));
    }

    [Fact]
    public async Task SubmittingAfterTheParentEnded_ReleasesOrEndsTheChildAtOnce()
    {
        await SubmitAsync();
        var done = await ClaimOneAsync();
        await Queue.CompleteAsync(done, "");
        var cancelled = await SubmitAsync();
        await Queue.CancelAsync(cancelled.Id);

        var runnable = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", DependsOn = [done.Id] });
        var doomed = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", DependsOn = [done.Id, cancelled.Id] });

        Assert.Equal(TaskState.Pending, await StateOf(runnable.Id));
        var info = await Queue.GetAsync(doomed.Id);
        Assert.Equal((TaskState.Failed, $"parent {cancelled.Id} cancelled"), (info!.State, info.Error));
    }

    [Fact]
    public async Task Ignore_RunsTheChildOnceEveryParentEnded_AndSaysWhichFailedAndWhy()
    {
        var good = await SubmitAsync("load");
        var bad = await Queue.SubmitAsync(new TaskSubmission { Kind = "load", MaxAttempts = 1 });
        var cancelled = await SubmitAsync("load");
        var child = await Queue.SubmitAsync(new TaskSubmission { Kind = "report", DependsOn = [good.Id, bad.Id, cancelled.Id], OnParentFailure = ParentFailurePolicy.Ignore });

        var parents = await Queue.ClaimAsync(Worker, Cpu, 2, Lease);
        await Queue.FailAsync(new TaskFailure(parents.Single(t => t.Id == bad.Id), "bad rows\nline 2"));
        Assert.Equal(TaskState.Waiting, await StateOf(child.Id));
        await Queue.CancelAsync(cancelled.Id, "not needed");
        Assert.Equal(TaskState.Waiting, await StateOf(child.Id));
        await Queue.CompleteAsync(parents.Single(t => t.Id == good.Id), "");

        var info = await Queue.GetAsync(child.Id);
        Assert.Equal(TaskState.Pending, info!.State);
        Assert.Equal(
            [new FailedParent(bad.Id, TaskState.Failed, "attempt 1 of 1 failed: bad rows line 2"), new FailedParent(cancelled.Id, TaskState.Cancelled, "not needed")],
            info.FailedParents);
        Assert.Equal(child.Id, (await ClaimOneAsync()).Id);
    }

    [Fact]
    public async Task Ignore_SubmittedAfterAParentFailed_RunsAtOnce_WithTheFailureRecorded()
    {
        var bad = await Queue.SubmitAsync(new TaskSubmission { Kind = "load", MaxAttempts = 1 });
        await Queue.FailAsync(new TaskFailure(await ClaimOneAsync(), "no file"));

        var child = await Queue.SubmitAsync(new TaskSubmission { Kind = "report", DependsOn = [bad.Id], OnParentFailure = ParentFailurePolicy.Ignore });

        var info = await Queue.GetAsync(child.Id);
        Assert.Equal(TaskState.Pending, info!.State);
        Assert.Equal([new FailedParent(bad.Id, TaskState.Failed, "attempt 1 of 1 failed: no file")], info.FailedParents);
    }

    [Fact]
    public async Task Wait_KeepsTheChildWaitingOnAFailedParent_UntilItIsRequeuedAndCompletes()
    {
        var parent = await Queue.SubmitAsync(new TaskSubmission { Kind = "load", MaxAttempts = 1 });
        var child = await Queue.SubmitAsync(new TaskSubmission { Kind = "report", DependsOn = [parent.Id], OnParentFailure = ParentFailurePolicy.Wait });
        await Queue.FailAsync(new TaskFailure(await ClaimOneAsync(), "database down"));
        Assert.Equal(TaskState.Waiting, await StateOf(child.Id));

        // A child submitted after the failure waits on it too.
        var late = await Queue.SubmitAsync(new TaskSubmission { Kind = "report", DependsOn = [parent.Id], OnParentFailure = ParentFailurePolicy.Wait });
        Assert.Equal(TaskState.Waiting, await StateOf(late.Id));

        // It fails again after a requeue: still waiting.
        await Queue.RequeueDeadLetterAsync(parent.Id);
        await Queue.FailAsync(new TaskFailure(await ClaimOneAsync(), "still down"));
        Assert.Equal((TaskState.Waiting, TaskState.Waiting), (await StateOf(child.Id), await StateOf(late.Id)));

        await Queue.RequeueDeadLetterAsync(parent.Id);
        await Queue.CompleteAsync(await ClaimOneAsync(), "");

        Assert.Equal((TaskState.Pending, TaskState.Pending), (await StateOf(child.Id), await StateOf(late.Id)));
        Assert.Empty((await Queue.GetAsync(child.Id))!.FailedParents);
        Assert.Equal(0, (await Queue.GetCountsAsync()).Waiting);
    }

    [Fact]
    public async Task Wait_EndsTheChild_WhenTheParentCanNeverRunAgain()
    {
        var cancelledParent = await SubmitAsync("load");
        var onCancelled = await Queue.SubmitAsync(new TaskSubmission { Kind = "report", DependsOn = [cancelledParent.Id], OnParentFailure = ParentFailurePolicy.Wait });
        await Queue.CancelAsync(cancelledParent.Id);
        Assert.Equal(TaskState.Cancelled, await StateOf(onCancelled.Id));

        var purged = await Queue.SubmitAsync(new TaskSubmission { Kind = "load", MaxAttempts = 1 });
        var onPurged = await Queue.SubmitAsync(new TaskSubmission { Kind = "report", DependsOn = [purged.Id], OnParentFailure = ParentFailurePolicy.Wait });
        var grandchild = await Queue.SubmitAsync(new TaskSubmission { Kind = "report", DependsOn = [onPurged.Id] });
        await Queue.FailAsync(new TaskFailure(await ClaimOneAsync(), "bad"));
        Assert.Equal(1, await Queue.PurgeDeadLettersAsync());

        var info = await Queue.GetAsync(onPurged.Id);
        Assert.Equal((TaskState.Failed, $"parent {purged.Id} failed and was deleted from the dead-letter queue"), (info!.State, info.Error));
        Assert.Equal(TaskState.Failed, await StateOf(grandchild.Id));
        var counts = await Queue.GetCountsAsync();
        Assert.Equal((2, 0), (counts.DeadLetters, counts.Waiting));
    }
}
