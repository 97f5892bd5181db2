using System.Diagnostics;
using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>
/// The queue through real sentinels: it finds the master by the service name, follows a failover
/// to the promoted replica without a restart, and with <see cref="RedisOptions.WaitForReplicas"/>
/// keeps every submission it acknowledged.
/// </summary>
public sealed class SentinelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task ThroughSentinel_TheQueueFollowsAFailover_AndLosesNoAcknowledgedSubmission_WithWaitForReplicas(int waitForReplicas)
    {
        using var group = new SentinelGroup();
        await using var gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = group.Configuration, WaitForReplicas = waitForReplicas });
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "sentinel" });
        await queue.ConfigureAsync();
        var firstMaster = group.MasterPort;

        // Submissions flow while the master is killed: each batch either is acknowledged (and must
        // survive) or fails as unavailable (and may or may not have been stored).
        var acknowledged = new List<string>();
        var refused = 0;
        string? firstRefusal = null;
        using var stop = new CancellationTokenSource();
        var submitting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var batch = await queue.SubmitBatchAsync(Enumerable.Range(0, 20).Select(_ => new TaskSubmission { Kind = "noop" }).ToList());
                    lock (acknowledged)
                    {
                        acknowledged.AddRange(batch.Select(r => r.Id));
                    }

                    await Task.Delay(5); // a steady flow, not a flood: the check below reads every task back
                }
                catch (GridUnavailableException e)
                {
                    firstRefusal ??= e.Message;
                    refused++;
                    await Task.Delay(50);
                }
            }
        });
        await Polling.UntilAsync(() => { lock (acknowledged) { return acknowledged.Count >= 500; } }, TimeSpan.FromSeconds(20), () => $"{refused} refused, the first: {firstRefusal}");
        var failover = group.KillMasterAndAwaitFailover();
        var afterFailover = Stopwatch.StartNew();
        // With WaitForReplicas a submission also waits for the other replica to follow the new
        // master and resynchronize, which the sentinels start only after the promotion.
        var resumeWithin = TimeSpan.FromSeconds(waitForReplicas > 0 ? 30 : 15);
        int countAtFailover;
        lock (acknowledged)
        {
            countAtFailover = acknowledged.Count;
        }

        await Polling.UntilAsync(() => { lock (acknowledged) { return acknowledged.Count >= countAtFailover + 200; } }, resumeWithin, () => $"submissions did not resume within {resumeWithin.TotalSeconds} s of the promotion; {refused} refused, the first: {firstRefusal}");
        var resumedAfter = afterFailover.Elapsed;
        await stop.CancelAsync();
        await submitting;

        Assert.NotEqual(firstMaster, group.MasterPort);
        var missing = 0;
        foreach (var id in acknowledged)
        {
            missing += await queue.GetAsync(id) is null ? 1 : 0;
        }

        output.WriteLine($"sentinel, WaitForReplicas={waitForReplicas}: failover took {failover.TotalSeconds:F1} s; submissions resumed {resumedAfter.TotalSeconds:F1} s after it; {acknowledged.Count} acknowledged, {refused} batches refused, {missing} acknowledged but lost");
        if (waitForReplicas > 0)
        {
            Assert.Equal(0, missing);
        }

        var claimed = await queue.ClaimAsync("after-failover", ["cpu"], 10, TimeSpan.FromSeconds(30));
        Assert.Equal(10, claimed.Count);
        await queue.CompleteManyAsync(claimed.Select(t => (t, "")).ToList());
    }
}
