using StackExchange.Redis;

namespace NflCompute.Queue.Redis;

/// <summary>A script's reply: a value, or an array of replies. The caller knows which to expect.</summary>
public readonly struct ScriptReply
{
    private readonly RedisResult _result;

    internal ScriptReply(RedisResult result) => _result = result;

    /// <summary>True when Redis answered nil.</summary>
    public bool IsNull => _result.IsNull;

    /// <summary>The reply as a string (integers are formatted).</summary>
    public string AsString() => (string)_result!;

    /// <summary>The reply as an integer.</summary>
    public long AsLong() => (long)_result;

    /// <summary>The items of an array reply.</summary>
    public ScriptReply[] AsArray() => Array.ConvertAll((RedisResult[])_result!, r => new ScriptReply(r));
}
