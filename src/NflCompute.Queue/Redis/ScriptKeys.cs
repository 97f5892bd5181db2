using StackExchange.Redis;

namespace NflCompute.Queue.Redis;

/// <summary>The KEYS of a script call; immutable, so one instance serves every call with the same keys.</summary>
public sealed class ScriptKeys
{
    /// <summary>Creates the key list.</summary>
    public ScriptKeys(params string[] keys) => Keys = Array.ConvertAll(keys, k => (RedisKey)k);

    internal RedisKey[] Keys { get; }

    /// <summary>
    /// The keys every queue script declares: the grid's prefix and its slot guard, two names in the
    /// grid's slot that are never keys, so a Redis Cluster refuses the call while it migrates the
    /// slot (lua/common.lua says why).
    /// </summary>
    public static ScriptKeys OfGrid(string prefix) => new(prefix, prefix + ":slot-guard");
}
