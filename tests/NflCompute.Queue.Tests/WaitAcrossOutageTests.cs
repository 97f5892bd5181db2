using NflCompute.Core;

namespace NflCompute.Queue.Tests;

/// <summary>A client waiting for a result rides out a Redis restart, as it rides out a missed event.</summary>
public sealed class WaitAcrossOutageTests
{
    [Fact]
    public async Task WaitingForATask_OutlastsARedisRestart_AndReturnsItOnceDone()
    {
        using var server = new PrivateRedisServer(appendOnly: true);
        await using var gateway = await server.ConnectAsync();
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "outage" });
        await queue.ConfigureAsync();
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        var held = Assert.Single(await queue.ClaimAsync("w1", ["cpu"], 1, TimeSpan.FromMinutes(1)));

        // Many waiters polling hard, so some poll is on the wire when Redis dies.
        var waiting = Enumerable.Range(0, 50).Select(_ => queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(1))).ToList();
        await Task.Delay(100);
        server.Kill();
        await Task.Delay(300); // polls fail meanwhile
        server.Start();
        RedisProcesses.WaitUntil(server.Answers, "the restarted Redis");
        await RetryWhileAwayAsync(() => queue.CompleteAsync(held, "{}"));

        Assert.All(await Task.WhenAll(waiting), info => Assert.Equal(TaskState.Completed, info.State));
    }

    private static async Task RetryWhileAwayAsync(Func<Task> action)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await action();
                return;
            }
            catch (Core.Errors.GridUnavailableException) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
