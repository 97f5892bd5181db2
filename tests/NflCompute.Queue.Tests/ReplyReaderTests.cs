using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;
using StackExchange.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>Script replies are read by name; one shorter than the C# expects says which item is missing and from which script.</summary>
public sealed class ReplyReaderTests
{
    private static ScriptReply[] Reply(params RedisValue[] items) => new ScriptReply(RedisResult.Create(items)).AsArray();

    [Fact]
    public void ItemsAreReadInOrder_ByName()
    {
        var r = new ReplyReader(Reply(2, "cpu", 1700000000000, -1, 1, "k", "v"), QueueScript.Overview);

        Assert.Equal(2, r.Count("classes"));
        Assert.Equal("cpu", r.String("class"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), r.Time("oldest"));
        Assert.Null(r.Time("none"));
        Assert.Equal([("k", "v")], r.Pairs("profile"));
        Assert.False(r.More);
    }

    [Fact]
    public void AShortReply_NamesTheMissingItemAndTheScript()
    {
        var r = new ReplyReader(Reply(1), QueueScript.Claim);
        _ = r.Long("fencing token");

        var error = Assert.Throws<InvalidOperationException>(() => r.String("class"));

        Assert.Equal("claim.lua replied 1 items, so 'class' (item 1) is missing: the scripts and this build disagree.", error.Message);
    }
}
