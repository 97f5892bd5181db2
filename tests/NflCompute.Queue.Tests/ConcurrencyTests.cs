using System.Collections.Concurrent;

namespace NflCompute.Queue.Tests;

public sealed class ConcurrencyTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task ManyClaimersInParallel_CompleteEveryTaskExactlyOnce()
    {
        const int Tasks = 4000;
        for (var i = 0; i < Tasks; i += 500)
        {
            await Queue.SubmitBatchAsync(Enumerable.Range(i, 500).Select(n => new TaskSubmission { Kind = "noop", Payload = n.ToString(System.Globalization.CultureInfo.InvariantCulture), Priority = n % 3 }).ToList());
        }

        var completedBy = new ConcurrentDictionary<string, string>();
        var duplicates = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var claimers = Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
        {
            var worker = "worker-" + w;
            while (!deadline.IsCancellationRequested)
            {
                var batch = await Queue.ClaimAsync(worker, Cpu, 25, Lease);
                if (batch.Count == 0)
                {
                    return;
                }

                var accepted = await Queue.CompleteManyAsync(batch.Select(t => (t, worker)).ToList());
                for (var i = 0; i < batch.Count; i++)
                {
                    if (accepted[i] && !completedBy.TryAdd(batch[i].Id, worker))
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                }
            }
        })).ToList();
        await Task.WhenAll(claimers);

        var counts = await Queue.GetCountsAsync();
        Assert.Equal(0, duplicates);
        Assert.Equal(Tasks, completedBy.Count);
        Assert.Equal((Tasks, 0L, 0L), (counts.CompletedTotal, counts.Pending, counts.Running));
        Assert.True(completedBy.Values.Distinct().Count() > 1, "the work should have been shared");
    }
}
