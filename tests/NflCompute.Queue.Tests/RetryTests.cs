using NflCompute.Core;

namespace NflCompute.Queue.Tests;

public sealed class RetryTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task FixedBackoff_RetriesAfterExactlyTheDelay()
    {
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Backoff = BackoffPolicy.Fixed(TimeSpan.FromSeconds(2)) })).Id;
        var task = await ClaimOneAsync();

        var outcome = await Queue.FailAsync(new TaskFailure(task, "flaky network"));

        Assert.Equal(FailOutcomeKind.RetryScheduled, outcome.Kind);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromSeconds(2), outcome.RetryAt);
        Assert.Equal(TaskState.Delayed, await StateOf(id));
        Clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Empty(await Queue.ClaimAsync(Worker, Cpu, 1, Lease));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var retry = await ClaimOneAsync();
        Assert.Equal((id, 2), (retry.Id, retry.Attempt));
        Assert.Equal("flaky network", (await Queue.GetAsync(id))!.Error);
    }

    [Fact]
    public async Task ExponentialBackoff_DoublesEachAttempt_UpToTheCap_ThenTheDlq()
    {
        var backoff = BackoffPolicy.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", MaxAttempts = 5, Backoff = backoff })).Id;
        var delays = new List<TimeSpan>();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var task = await ClaimOneAsync();
            Assert.Equal(attempt, task.Attempt);
            var outcome = await Queue.FailAsync(new TaskFailure(task, $"failure {attempt}"));
            delays.Add(outcome.RetryAt!.Value - Clock.GetUtcNow());
            Clock.Advance(delays[^1]);
        }

        var last = await ClaimOneAsync();
        var final = await Queue.FailAsync(new TaskFailure(last, "failure 5"));

        Assert.Equal([1, 2, 3, 3], delays.Select(d => d.TotalSeconds));
        Assert.Equal(FailOutcomeKind.Failed, final.Kind);
        var dead = Assert.Single((await Queue.ListDeadLettersAsync()).Items);
        Assert.Equal((id, 5, "attempt 5 of 5 failed: failure 5"), (dead.Id, dead.Attempts, dead.Error));
    }

    [Theory]
    [InlineData(0.0, 4000)]
    [InlineData(0.5, 3000)]
    [InlineData(0.75, 2500)]
    public async Task Jitter_ShortensTheDelay_ByUpToItsFraction(double draw, int expectedMs)
    {
        JitterDraw = draw;
        await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Backoff = BackoffPolicy.Fixed(TimeSpan.FromSeconds(4), jitter: 0.5) });
        var task = await ClaimOneAsync();

        var outcome = await Queue.FailAsync(new TaskFailure(task, "x"));

        Assert.Equal(expectedMs, (outcome.RetryAt!.Value - Clock.GetUtcNow()).TotalMilliseconds);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), BackoffPolicy.Fixed(TimeSpan.FromSeconds(4), 0.5).DelayAfter(1, draw));
    }

    [Fact]
    public async Task ANonRetryableError_StopsRetriesAndGoesToTheDlq()
    {
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", MaxAttempts = 10 })).Id;
        var task = await ClaimOneAsync();

        var outcome = await Queue.FailAsync(new TaskFailure(task, "payload: 'predictions' has NaN at index 17", Retryable: false));

        Assert.Equal(FailOutcomeKind.Failed, outcome.Kind);
        var info = await Queue.GetAsync(id);
        Assert.Equal((TaskState.Failed, 1), (info!.State, info.Attempts));
        Assert.Equal("failed, not retryable: payload: 'predictions' has NaN at index 17", info.Error);
        Assert.Equal(1, (await Queue.GetCountsAsync()).DeadLetters);
    }

    [Fact]
    public async Task TheGridDefaults_ApplyWhenATaskSetsNoPolicy()
    {
        var queue = await NewQueueAsync(o =>
        {
            o.MaxAttempts = 2;
            o.Backoff = BackoffPolicy.Fixed(TimeSpan.FromSeconds(7));
        });
        await queue.SubmitAsync(new TaskSubmission { Kind = "noop" });

        var first = Assert.Single(await queue.ClaimAsync(Worker, Cpu, 1, Lease));
        var retry = await queue.FailAsync(new TaskFailure(first, "a"));
        Clock.Advance(TimeSpan.FromSeconds(7));
        var second = Assert.Single(await queue.ClaimAsync(Worker, Cpu, 1, Lease));
        var final = await queue.FailAsync(new TaskFailure(second, "b"));

        Assert.Equal(Clock.GetUtcNow(), retry.RetryAt);
        Assert.Equal(FailOutcomeKind.Failed, final.Kind);
    }

    [Fact]
    public async Task DelayedTasks_ArePromotedInDueOrder()
    {
        var late = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromSeconds(3) });
        var soon = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromSeconds(1) });
        var middle = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromSeconds(2) });
        Assert.Equal(3, (await Queue.GetCountsAsync()).Delayed);
        Assert.Empty(await Queue.ClaimAsync(Worker, Cpu, 3, Lease));

        Clock.Advance(TimeSpan.FromSeconds(5));
        var report = await Queue.RecoverAsync();
        var order = (await Queue.ClaimAsync(Worker, Cpu, 3, Lease)).Select(t => t.Id);

        Assert.Equal(3, report.Promoted);
        Assert.Equal([soon.Id, middle.Id, late.Id], order);
    }
}
