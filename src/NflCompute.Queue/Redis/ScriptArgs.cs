using System.Globalization;
using StackExchange.Redis;

namespace NflCompute.Queue.Redis;

/// <summary>
/// The ARGV of one script call, built without boxing into an array sized up front, which goes to
/// the client as it is (a submit batch of 500 tasks is 5,502 values: copying it would double the
/// large-object-heap traffic).
/// </summary>
public sealed class ScriptArgs
{
    private RedisValue[] _values;

    /// <summary>Creates an empty argument list for <paramref name="capacity"/> values (it grows if needed).</summary>
    public ScriptArgs(int capacity = 8) => _values = new RedisValue[capacity];

    /// <summary>The number of arguments so far.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a string.</summary>
    public ScriptArgs Add(string value) => Append(value);

    /// <summary>Appends an integer.</summary>
    public ScriptArgs Add(long value) => Append(value);

    /// <summary>Appends a floating-point number, written so Lua reads back the same double.</summary>
    public ScriptArgs Add(double value) => Append(value.ToString("R", CultureInfo.InvariantCulture));

    internal RedisValue[] ToArray() => Count == _values.Length ? _values : _values[..Count];

    private ScriptArgs Append(RedisValue value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, Math.Max(4, _values.Length * 2));
        }

        _values[Count++] = value;
        return this;
    }
}
