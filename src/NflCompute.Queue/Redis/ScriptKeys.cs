using StackExchange.Redis;

namespace NflCompute.Queue.Redis;

/// <summary>The KEYS of a script call; immutable, so one instance serves every call with the same keys.</summary>
public sealed class ScriptKeys
{
    /// <summary>Creates the key list.</summary>
    public ScriptKeys(params string[] keys) => Keys = Array.ConvertAll(keys, k => (RedisKey)k);

    internal RedisKey[] Keys { get; }
}
