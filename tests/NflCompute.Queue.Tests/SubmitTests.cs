using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

public sealed class SubmitTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task Submit_StoresAPendingTask_WithAFixedWidthId()
    {
        var submitted = await Queue.SubmitAsync(new TaskSubmission { Kind = "elo", Payload = "{\"k\":20}", Priority = 7, CorrelationId = "corr-1" });

        Assert.True(TaskIds.IsValid(submitted.Id));
        Assert.False(submitted.Duplicate);
        var info = await Queue.GetAsync(submitted.Id);
        Assert.NotNull(info);
        Assert.Equal(TaskState.Pending, info.State);
        Assert.Equal(("elo", "{\"k\":20}", "cpu", 7, "corr-1"), (info.Kind, info.Payload, info.Class, info.Priority, info.CorrelationId));
        Assert.Equal(Clock.GetUtcNow(), info.SubmittedAt);
    }

    [Fact]
    public async Task SubmitBatch_ReturnsIdsInSubmissionOrder()
    {
        var batch = Enumerable.Range(0, 40).Select(i => new TaskSubmission { Kind = "noop", Payload = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();

        var ids = (await Queue.SubmitBatchAsync(batch)).Select(r => r.Id).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(40, ids.Distinct().Count());
        Assert.Equal(40, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task SubmitBatch_WithAnInvalidTask_StoresNothing()
    {
        var batch = new[]
        {
            new TaskSubmission { Kind = "noop" },
            new TaskSubmission { Kind = "noop", IdempotencyKey = "k1" },
            new TaskSubmission { Kind = "noop", DependsOn = ["zzzzzzzzzzzzzzzzzzzz"] },
        };
        var keysBefore = await KeyCountAsync(Prefix);

        var error = await Assert.ThrowsAsync<TaskRejectedException>(() => Queue.SubmitBatchAsync(batch));

        Assert.Equal(2, error.Index);
        Assert.Equal("DependsOn", error.Field);
        Assert.Contains("zzzzzzzzzzzzzzzzzzzz does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await KeyCountAsync(Prefix));
    }

    [Theory]
    [InlineData("Priority", -1, "allowed 0..1000000")]
    [InlineData("Priority", 1_000_001, "allowed 0..1000000")]
    [InlineData("Class", 0, "unknown class 'tpu'")]
    [InlineData("Payload", 0, "the limit is 1024")]
    [InlineData("DependsOn", 0, "'not-an-id' is not a task id")]
    [InlineData("Kind", 0, "must be 1..64 letters")]
    public async Task Submit_BadInput_IsRejectedWithTheFieldNamed_AndNothingStored(string field, int priority, string expected)
    {
        var queue = await NewQueueAsync(o => o.MaxPayloadBytes = 1024);
        var task = field switch
        {
            "Priority" => new TaskSubmission { Kind = "noop", Priority = priority },
            "Class" => new TaskSubmission { Kind = "noop", Class = "tpu" },
            "Payload" => new TaskSubmission { Kind = "noop", Payload = new string('x', 1025) },
            "DependsOn" => new TaskSubmission { Kind = "noop", DependsOn = ["not-an-id"] },
            _ => new TaskSubmission { Kind = "" },
        };

        var error = await Assert.ThrowsAsync<TaskRejectedException>(() => queue.SubmitBatchAsync([new TaskSubmission { Kind = "ok" }, task]));

        Assert.Equal((1, field), (error.Index, error.Field));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"tasks[1].{field}: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await KeyCountAsync(queue.Options.Prefix)); // cfg and classes only
    }

    [Fact]
    public async Task Submit_ToAClassTheGridDoesNotHave_IsRejectedByRedis()
    {
        // A client whose options name a class the grid was never configured with.
        var stale = new TaskQueue(Redis.Gateway, new QueueOptions { Namespace = Queue.Options.Namespace, Classes = ["cpu", "tpu"] }, Clock);

        var error = await Assert.ThrowsAsync<TaskRejectedException>(() => stale.SubmitAsync(new TaskSubmission { Kind = "noop", Class = "tpu" }));

        Assert.Equal("Class", error.Field);
        Assert.Contains("'tpu'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ToAnUnconfiguredGrid_SaysHowToConfigureIt()
    {
        var queue = await NewQueueAsync(_ => { }, runConfigure: false);

        var error = await Assert.ThrowsAsync<GridNotConfiguredException>(() => queue.SubmitAsync(new TaskSubmission { Kind = "noop" }));

        Assert.Contains("ConfigureAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_OversizePayload_IsRefusedByRedisToo_WhenTheClientAllowsMore()
    {
        var lenient = new TaskQueue(Redis.Gateway, new QueueOptions { Namespace = Queue.Options.Namespace, MaxPayloadBytes = 1 << 20 }, Clock);
        var payload = new string('x', Queue.Options.MaxPayloadBytes + 1);

        var error = await Assert.ThrowsAsync<TaskRejectedException>(() => lenient.SubmitAsync(new TaskSubmission { Kind = "noop", Payload = payload }));

        Assert.Equal("Payload", error.Field);
        Assert.Contains($"limit {Queue.Options.MaxPayloadBytes}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdempotencyKey_UsedTwice_ReturnsTheFirstIdAndCreatesNothing()
    {
        var task = new TaskSubmission { Kind = "noop", Payload = "first", IdempotencyKey = "nightly-2026-09-10" };
        var first = await Queue.SubmitAsync(task);
        var keys = await KeyCountAsync(Prefix);

        var again = await Queue.SubmitAsync(task with { Payload = "different" });
        var inBatch = await Queue.SubmitBatchAsync([task, new TaskSubmission { Kind = "noop", IdempotencyKey = "other" }, task]);

        Assert.Equal((first.Id, true), (again.Id, again.Duplicate));
        Assert.Equal(first.Id, inBatch[0].Id);
        Assert.NotEqual(first.Id, inBatch[1].Id);
        Assert.Equal(first.Id, inBatch[2].Id);
        Assert.Equal(2, (await Queue.GetCountsAsync()).Pending);
        Assert.Equal(keys + 2, await KeyCountAsync(Prefix)); // only the "other" task and its key
        Assert.Equal("first", (await Queue.GetAsync(first.Id))!.Payload);
    }

    [Fact]
    public async Task IdempotencyKey_WithinOneBatch_CreatesOneTask()
    {
        var task = new TaskSubmission { Kind = "noop", IdempotencyKey = "same" };

        var results = await Queue.SubmitBatchAsync([task, task, task]);

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Equal([false, true, true], results.Select(r => r.Duplicate));
        Assert.Equal(1, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task ABatchOverItsCountOrBytes_IsRefusedWhole_NamingTheSetting()
    {
        var small = await NewQueueAsync(o => (o.MaxBatchTasks, o.MaxBatchBytes) = (3, 100));

        var tooMany = await Assert.ThrowsAsync<TaskRejectedException>(() => small.SubmitBatchAsync([.. Enumerable.Range(0, 4).Select(_ => new TaskSubmission { Kind = "noop" })]));
        var tooBig = await Assert.ThrowsAsync<TaskRejectedException>(() => small.SubmitBatchAsync([new TaskSubmission { Kind = "noop", Payload = new string('x', 60) }, new TaskSubmission { Kind = "noop", Payload = new string('y', 60) }]));

        Assert.Contains("the batch has 4 tasks; one submit takes at most 3 (QueueOptions.MaxBatchTasks)", tooMany.Message, StringComparison.Ordinal);
        Assert.Contains("the batch's payloads are 120 bytes; one submit takes at most 100 (QueueOptions.MaxBatchBytes)", tooBig.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await small.GetCountsAsync()).Pending);
        Assert.Equal(3, (await small.SubmitBatchAsync([.. Enumerable.Range(0, 3).Select(_ => new TaskSubmission { Kind = "noop" })])).Count);
    }
}
