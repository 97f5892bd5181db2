using NflCompute.Core;
using NflCompute.Jobs;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>A modeler's own job kind runs beside the built-in ones, through the registry a worker process builds.</summary>
[Collection(RedisCollection.Name)]
public sealed class CustomJobKindTests(RedisServer redis, PostgresServer postgres) : GridTestBase(redis, postgres, "custom-")
{
    /// <summary>Doubles the number it is given.</summary>
    private sealed class DoubleHandler : IJobHandler
    {
        public string Kind => "double-it";

        public Task<string> RunAsync(JobContext context) =>
            Task.FromResult($$"""{"doubled": {{2 * int.Parse(context.Task.Payload, System.Globalization.CultureInfo.InvariantCulture)}}}""");
    }

    [Fact]
    public async Task ACustomKind_RunsBesideTheBuiltInOnes()
    {
        await using var worker = InProcessWorker.Start(Queue, Db, "custom-worker", JobHandlers.Create(Db, Queue, [new DoubleHandler()]));
        var ids = await Queue.SubmitBatchAsync([new TaskSubmission { Kind = "double-it", Payload = "21" }, new TaskSubmission { Kind = "noop" }]);

        foreach (var id in ids)
        {
            var done = await Queue.WaitAsync(id.Id, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50));
            Assert.True(done.State == TaskState.Completed, $"{done.Kind}: {done.State}: {done.Error}");
        }

        Assert.Equal("""{"doubled": 42}""", (await new ResultStore(Db, Queue.Options.Namespace).ReadAsync(ids[0].Id))!.Value.ResultJson);
    }

    [Fact]
    public void ACustomHandler_CannotTakeABuiltInKind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => JobHandlers.Create(Db, Queue, [new EchoHandler()]));

        Assert.Contains("built-in kind noop", error.Message, StringComparison.Ordinal);
    }
}
