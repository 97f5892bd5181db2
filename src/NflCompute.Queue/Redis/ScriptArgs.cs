using StackExchange.Redis;

namespace NflCompute.Queue.Redis;

/// <summary>The ARGV of one script call, built without boxing.</summary>
public sealed class ScriptArgs
{
    private readonly List<RedisValue> _values;

    /// <summary>Creates an empty argument list sized for <paramref name="capacity"/> values.</summary>
    public ScriptArgs(int capacity = 8) => _values = new List<RedisValue>(capacity);

    /// <summary>The number of arguments so far.</summary>
    public int Count => _values.Count;

    /// <summary>Appends a string.</summary>
    public ScriptArgs Add(string value)
    {
        _values.Add(value);
        return this;
    }

    /// <summary>Appends an integer.</summary>
    public ScriptArgs Add(long value)
    {
        _values.Add(value);
        return this;
    }

    /// <summary>Appends a floating-point number, written so Lua reads back the same double.</summary>
    public ScriptArgs Add(double value)
    {
        _values.Add(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    internal RedisValue[] ToArray() => _values.ToArray();
}
