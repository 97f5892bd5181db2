using NflCompute.Queue.Scripts;

namespace NflCompute.Queue.Redis;

/// <summary>
/// Reads a script's array reply in order, each item by the name its script's header gives it, so
/// parsing code says what it reads instead of counting positions; a reply shorter than expected
/// fails naming the missing item and the script (a build whose scripts and C# disagree).
/// </summary>
internal sealed class ReplyReader(ScriptReply[] items, QueueScript script)
{
    private int _at;

    /// <summary>Whether items are left.</summary>
    public bool More => _at < items.Length;

    /// <summary>How many items are left.</summary>
    public int Remaining => items.Length - _at;

    /// <summary>The next item, a string.</summary>
    public string String(string name) => Next(name).AsString();

    /// <summary>The next item, an integer.</summary>
    public long Long(string name) => Next(name).AsLong();

    /// <summary>The next item, a count of what follows.</summary>
    public int Count(string name) => checked((int)Next(name).AsLong());

    /// <summary>The next item, a time in Unix milliseconds; negative (the scripts' "none") is null.</summary>
    public DateTimeOffset? Time(string name) => Next(name).AsLong() is >= 0 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The next <see cref="Count"/> pairs: a count, then that many name and value items.</summary>
    public List<(string Key, string Value)> Pairs(string name)
    {
        var pairs = new List<(string, string)>(Count(name));
        for (var i = pairs.Capacity; i > 0; i--)
        {
            pairs.Add((String(name + " key"), String(name + " value")));
        }

        return pairs;
    }

    private ScriptReply Next(string name) =>
        _at < items.Length
            ? items[_at++]
            : throw new InvalidOperationException($"{ScriptLibrary.FileName(script)} replied {items.Length} items, so '{name}' (item {_at}) is missing: the scripts and this build disagree.");
}
