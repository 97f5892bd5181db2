using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

public sealed class GridStateTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task Counts_CoverEveryClassAndState_InOneCall()
    {
        await SubmitAsync(cls: "gpu");
        await SubmitAsync(cls: "gpu");
        await SubmitAsync(cls: "cpu");
        var parent = await SubmitAsync(cls: "cpu");
        await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", DependsOn = [parent.Id] });
        await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Delay = TimeSpan.FromMinutes(1) });
        var running = await ClaimOneAsync();
        var failing = Assert.Single(await Queue.ClaimAsync(Worker, ["gpu"], 1, Lease));
        await Queue.FailAsync(new TaskFailure(failing, "x", Retryable: false));
        await Queue.RegisterWorkerAsync(new WorkerRegistration(Worker, TimeSpan.FromMinutes(1), new Dictionary<string, string>()));

        var counts = await Queue.GetCountsAsync();

        Assert.Equal(new Dictionary<string, long> { ["cpu"] = 1, ["gpu"] = 1, ["gpu-high"] = 0 }, counts.PendingByClass);
        Assert.Equal((1L, 1L, 1L, 1L, 1L, 1L), (counts.Delayed, counts.Running, counts.Waiting, counts.DeadLetters, counts.Workers, counts.FailedTotal));
        Assert.Equal(parent.Id == running.Id ? 0 : 1, counts.PendingByClass["cpu"]);
    }

    [Fact]
    public async Task Overview_GivesEachClassesOldestWaitingTask_AndTheLiveWorkersWithTheirProfiles()
    {
        var t0 = Clock.GetUtcNow();
        await SubmitAsync(cls: "cpu");
        Clock.Advance(TimeSpan.FromSeconds(30));
        await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Class = "cpu", Priority = 50 });
        await Queue.RegisterWorkerAsync(new WorkerRegistration("alive", TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["device"] = "cuda:0" }));
        await Queue.RegisterWorkerAsync(new WorkerRegistration("lapsing", TimeSpan.FromSeconds(10), new Dictionary<string, string>()));
        Clock.Advance(TimeSpan.FromSeconds(20));

        var overview = await Queue.GetOverviewAsync();

        Assert.Equal(t0.ToUnixTimeMilliseconds(), overview.OldestPendingSince["cpu"]!.Value.ToUnixTimeMilliseconds());
        Assert.Null(overview.OldestPendingSince["gpu"]);
        var worker = Assert.Single(overview.Workers);
        Assert.Equal(("alive", "cuda:0"), (worker.WorkerId, worker.Profile["device"]));
    }

    [Fact]
    public async Task Completions_AreAnnouncedOnTheEventsChannel()
    {
        var seen = new TaskCompletionSource<TaskEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Queue.SubscribeAsync(e => seen.TrySetResult(e));
        await SubmitAsync();
        await SubmitAsync();
        var tasks = await Queue.ClaimAsync(Worker, Cpu, 2, Lease);

        await Queue.CompleteManyAsync([(tasks[0], "a"), (tasks[1], "b")]);

        var announced = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TaskState.Completed, announced.State);
        Assert.Equal(tasks.Select(t => t.Id), announced.TaskIds);
    }

    [Fact]
    public async Task WaitAsync_ReturnsTheFinishedTask_WhenAWorkerCompletesIt()
    {
        var id = (await SubmitAsync()).Id;
        var waiting = Queue.WaitAsync(id, TimeSpan.FromSeconds(30), pollInterval: TimeSpan.FromMinutes(5));
        var task = await ClaimOneAsync();

        await Queue.CompleteAsync(task, "42");

        var info = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((TaskState.Completed, "42"), (info.State, info.Result));
    }

    [Fact]
    public async Task WaitAsync_TimesOut_NamingTheTaskAndItsState()
    {
        var id = (await SubmitAsync()).Id;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Queue.WaitAsync(id, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50)));

        Assert.Contains($"Task {id} did not finish", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pending", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_AreReloaded_AfterRedisLosesThem()
    {
        await SubmitAsync();
        await Redis.Raw.GetServer(Redis.Raw.GetEndPoints()[0]).ScriptFlushAsync();

        var second = await SubmitAsync();
        await Redis.Raw.GetServer(Redis.Raw.GetEndPoints()[0]).ScriptFlushAsync();
        var claimed = await Queue.ClaimAsync(Worker, Cpu, 2, Lease);

        Assert.Equal(2, claimed.Count);
        Assert.Equal(second.Id, claimed[1].Id);
    }

    [Fact]
    public async Task EveryScript_IsCalledByTheNameRedisKeepsItUnder_SoCallsDoNotResendItsText()
    {
        var server = Redis.Raw.GetServer(Redis.Raw.GetEndPoints()[0]);
        foreach (var script in Enum.GetValues<Scripts.QueueScript>())
        {
            var loaded = await server.ScriptLoadAsync(Scripts.ScriptLibrary.Embedded[script]);

            Assert.True(loaded.SequenceEqual(Scripts.ScriptLibrary.Embedded.Sha1Of(script)), $"{Scripts.ScriptLibrary.FileName(script)}: the library's SHA-1 is not Redis's");
        }
    }

    [Fact]
    public async Task ConnectingToNothing_FailsWithTheEndpointAndWhatToStart()
    {
        var error = await Assert.ThrowsAsync<GridUnavailableException>(() =>
            Redis_ConnectAsync("127.0.0.1:1,connectTimeout=500,connectRetry=1"));

        Assert.True(error.IsTransient);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
    }

    private static async Task Redis_ConnectAsync(string configuration) =>
        await (await NflCompute.Queue.Redis.RedisGateway.ConnectAsync(new RedisOptions { Configuration = configuration })).DisposeAsync();
}
