using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;
using StackExchange.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>Replies that mean "not now" (LOADING, BUSY, READONLY, TRYAGAIN) are transient everywhere, like a dropped connection.</summary>
public sealed class TransientReplyTests
{
    [Theory]
    [InlineData("LOADING Redis is loading the dataset in memory", true)]
    [InlineData("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.", true)]
    [InlineData("READONLY You can't write against a read only replica.", true)]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot", true)]
    [InlineData("CLUSTERDOWN The cluster is down", true)]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", true)]
    [InlineData("ERR unknown command 'FROB'", false)]
    [InlineData("NOSCRIPT No matching script. Please use EVAL.", false)]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value", false)]
    [InlineData("BUSYKEY Target key name already exists.", false)]
    public void ServerReplies_AreTransientOnlyWhenTheyMeanNotNow(string reply, bool transient) =>
        Assert.Equal(transient, RedisGateway.IsTransientReply(reply));

    [Fact]
    public async Task ARedisBusyWithALongScript_IsGridUnavailable_ThenServesAgain()
    {
        // A Redis of this test's own: a busy one would stall every other test.
        using var server = new PrivateRedisServer(extra: ["--busy-reply-threshold", "50"]);
        await using var gateway = await server.ConnectAsync();
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "busy" });
        await queue.ConfigureAsync();
        using var raw = await ConnectionMultiplexer.ConnectAsync(server.Endpoint);

        // Two seconds of Lua on another connection: Redis answers everyone else BUSY meanwhile.
        var script = raw.GetDatabase().ScriptEvaluateAsync("local s = redis.call('TIME')[1]; while tonumber(redis.call('TIME')[1]) - s < 2 do end return 1");
        var error = await Assert.ThrowsAsync<GridUnavailableException>(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await queue.GetCountsAsync();
                await Task.Delay(10);
            }
        });
        await script;

        Assert.True(error.IsTransient);
        Assert.Contains("BUSY", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await queue.GetCountsAsync()).Workers);
    }
}
