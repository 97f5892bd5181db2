using System.Text.Json;
using NflCompute.Core;
using NflCompute.Jobs;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>What a job reads of the tasks it depended on: their results, their datasets, and (policy Ignore) which failed and why.</summary>
[Collection(RedisCollection.Name)]
public sealed class ParentResultsTests(RedisServer redis, PostgresServer postgres) : GridTestBase(redis, postgres, "parents-")
{
    /// <summary>Reports what its context says of its parents; "dataset" names a reference to resolve.</summary>
    private sealed class ParentsHandler : IJobHandler
    {
        public string Kind => "parents";

        public async Task<string> RunAsync(JobContext context)
        {
            var reference = JsonDocument.Parse(context.Task.Payload).RootElement.GetProperty("dataset").GetString()!;
            return JsonSerializer.Serialize(new
            {
                results = (await context.ParentResultsAsync()).Select(p => new { p.Id, p.Json }),
                failed = (await context.FailedParentsAsync()).Select(f => new { f.Id, state = f.State.ToString(), f.Reason }),
                dataset = await context.DatasetIdAsync(reference, "dataset"),
            });
        }
    }

    private sealed class BrokenHandler : IJobHandler
    {
        public string Kind => "broken";

        public Task<string> RunAsync(JobContext context) => throw new JobInputException("payload: no such season");
    }

    private async Task<TaskInfo> EndedAsync(string id)
    {
        var done = await Queue.WaitAsync(id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100));
        return done;
    }

    [Fact]
    public async Task AJob_ReadsItsParentsResultsAndDatasets_AndWhichFailed_WhenItIgnoresFailures()
    {
        await using var worker = InProcessWorker.Start(Queue, Db, "parents-worker", new JobRegistry([new EchoHandler(), new BrokenHandler(), new ParentsHandler()]));
        var ids = await Queue.SubmitBatchAsync(
        [
            new TaskSubmission { Kind = "noop", Payload = """{"datasets": {"ratings": "ds-early"}}""" },
            new TaskSubmission { Kind = "noop", Payload = """{"datasets": {"ratings": "ds-late"}}""" },
            new TaskSubmission { Kind = "broken" },
            new TaskSubmission
            {
                Kind = "parents",
                Payload = """{"dataset": "parent:ratings"}""",
                DependsOn = [TaskSubmission.InBatch(0), TaskSubmission.InBatch(1), TaskSubmission.InBatch(2)],
                OnParentFailure = ParentFailurePolicy.Ignore,
            },
        ]);

        var child = await EndedAsync(ids[3].Id);
        Assert.True(child.State == TaskState.Completed, $"{child.State}: {child.Error}");
        var stored = await new ResultStore(Db, Queue.Options.Namespace).ReadAsync(ids[3].Id);
        var result = JsonDocument.Parse(stored!.Value.ResultJson).RootElement;

        Assert.Equal([ids[0].Id, ids[1].Id], result.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("Id").GetString()));
        Assert.Equal("ds-late", result.GetProperty("dataset").GetString()); // the last parent that names it
        var failed = Assert.Single(result.GetProperty("failed").EnumerateArray());
        Assert.Equal((ids[2].Id, "Failed"), (failed.GetProperty("Id").GetString(), failed.GetProperty("state").GetString()));
        Assert.Contains("no such season", failed.GetProperty("Reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReferenceNoParentsResultHas_FailsTheTaskIntoTheDlq_NamingTheField()
    {
        await using var worker = InProcessWorker.Start(Queue, Db, "parents-worker", new JobRegistry([new EchoHandler(), new ParentsHandler()]));
        var ids = await Queue.SubmitBatchAsync(
        [
            new TaskSubmission { Kind = "noop", Payload = "{}" },
            new TaskSubmission { Kind = "parents", Payload = """{"dataset": "parent:ratings"}""", DependsOn = [TaskSubmission.InBatch(0)] },
        ]);

        var child = await EndedAsync(ids[1].Id);
        Assert.Equal(TaskState.Failed, child.State);
        Assert.Contains("payload.dataset: 'parent:ratings' names a dataset no parent's result has", child.Error, StringComparison.Ordinal);
        Assert.Contains(ids[0].Id, child.Error, StringComparison.Ordinal);
    }
}
