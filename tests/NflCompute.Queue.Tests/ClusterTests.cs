using System.Diagnostics;
using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>
/// The queue on a real Redis Cluster (the rest of the queue suite runs against one too: see
/// deploy/local/test.sh). Here what only a cluster has: grids on different shards, and a grid's
/// slot migrated to another master while the grid works.
/// </summary>
public sealed class ClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task GridsLandOnDifferentShards_EachWithAllItsKeysOnItsOwnMaster()
    {
        using var cluster = new ClusterGroup();
        await using var gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = cluster.Configuration });
        // Names whose slots belong to two different masters.
        var names = Enumerable.Range(0, 100).Select(i => "shard-" + i).ToList();
        var first = names[0];
        var second = names.First(n => cluster.OwnerOf(cluster.SlotOf("{" + n + "}")) != cluster.OwnerOf(cluster.SlotOf("{" + first + "}")));

        foreach (var name in new[] { first, second })
        {
            var queue = new TaskQueue(gateway, new QueueOptions { Namespace = name });
            await queue.ConfigureAsync();
            await queue.SubmitBatchAsync(Enumerable.Range(0, 50).Select(_ => new TaskSubmission { Kind = "noop" }).ToList());
            var claimed = await queue.ClaimAsync("w-" + name, ["cpu"], 50, TimeSpan.FromSeconds(30));
            Assert.Equal(50, (await queue.CompleteManyAsync(claimed.Select(t => (t, "")).ToList())).Count(ok => ok));
            Assert.Equal(50, (await queue.GetCountsAsync()).CompletedTotal);

            var slot = cluster.SlotOf("{" + name + "}");
            var owner = cluster.OwnerOf(slot);
            Assert.True(cluster.KeysInSlot(owner, slot) > 50);
            Assert.All(cluster.Masters.Where(m => m != owner), m => Assert.Equal(0, cluster.KeysInSlot(m, slot)));
        }
    }

    [Fact]
    public async Task MigratingAGridsSlotWhileItWorks_LosesNothing_AndNoCallSeesHalfTheGrid()
    {
        using var cluster = new ClusterGroup();
        await using var gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = cluster.Configuration });
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "moving" });
        await queue.ConfigureAsync();
        var slot = cluster.SlotOf(queue.Options.Prefix);
        var from = cluster.OwnerOf(slot);

        // Submitters and workers run through the migration; every call either completes or fails
        // as unavailable (then nothing of it was applied, and the submitter does not count it).
        var acknowledged = new List<string>();
        var (completed, unavailable) = (0, 0);
        using var stop = new CancellationTokenSource();
        var submitter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var batch = await queue.SubmitBatchAsync(Enumerable.Range(0, 10).Select(_ => new TaskSubmission { Kind = "noop" }).ToList());
                    lock (acknowledged)
                    {
                        acknowledged.AddRange(batch.Select(r => r.Id));
                    }
                }
                catch (GridUnavailableException)
                {
                    Interlocked.Increment(ref unavailable);
                }
            }
        });
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var claimed = await queue.ClaimAsync("w" + w, ["cpu"], 20, TimeSpan.FromSeconds(60));
                    if (claimed.Count > 0)
                    {
                        Interlocked.Add(ref completed, (await queue.CompleteManyAsync(claimed.Select(t => (t, "")).ToList())).Count(ok => ok));
                    }
                }
                catch (GridUnavailableException)
                {
                    Interlocked.Increment(ref unavailable);
                }
            }
        })).ToList();

        await Polling.UntilAsync(() => Volatile.Read(ref completed) >= 300, TimeSpan.FromSeconds(20));
        var to = cluster.Masters.First(m => m != from);
        var clock = Stopwatch.StartNew();
        var moved = cluster.MigrateSlot(slot, to);
        var migration = clock.Elapsed;
        var completedAtMove = Volatile.Read(ref completed);
        await Polling.UntilAsync(() => Volatile.Read(ref completed) >= completedAtMove + 300, TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await Task.WhenAll([submitter, .. workers]);

        // Everything acknowledged is there, in one piece, on the new master only.
        var counts = await queue.GetCountsAsync();
        var missing = 0;
        foreach (var id in acknowledged)
        {
            missing += await queue.GetAsync(id) is null ? 1 : 0;
        }

        output.WriteLine($"cluster: slot {slot} moved {moved} keys in batches of 10 in {migration.TotalMilliseconds:F0} ms; {acknowledged.Count} tasks acknowledged, {completed} completed, {unavailable} calls refused as unavailable, {missing} missing");
        Assert.Equal(to, cluster.OwnerOf(slot));
        Assert.Equal(0, cluster.KeysInSlot(from, slot));
        Assert.Equal(0, missing);
        Assert.Equal(acknowledged.Count, counts.CompletedTotal + counts.PendingByClass.Values.Sum() + counts.Running);
        Assert.Equal(completed, counts.CompletedTotal);
        Assert.True(moved > 100, $"only {moved} keys moved");
    }
}
