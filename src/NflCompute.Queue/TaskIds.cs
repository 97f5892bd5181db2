namespace NflCompute.Queue;

/// <summary>
/// Task ids: 20 characters of Crockford's base32 in lowercase (0-9 and a-z without i, l, o, u),
/// issued by the submitting client, not by Redis. The first 10 characters are the submission time
/// in milliseconds and the last 10 a 50-bit sequence that starts at a random point, so ids are
/// ordered by age (byte order is time order), distinct across clients and grids without a shared
/// counter, and never issued again by a Redis that lost the tail of its log.
/// </summary>
public static class TaskIds
{
    /// <summary>The id format, for error messages.</summary>
    public const string Format = "20 characters of 0-9 and a-z without i, l, o, u, e.g. 01jf3w8q2k7m4n9p5r6s";

    /// <summary>The length of every task id.</summary>
    public const int Length = 20;

    /// <summary>The digits in value order; ASCII order too, so ids sort as the numbers they encode.</summary>
    internal const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>Characters per half of the id: 10 base32 digits hold 50 bits.</summary>
    internal const int HalfLength = 10;

    /// <summary>True when <paramref name="id"/> has the form of a task id.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.AsSpan().IndexOfAnyExcept(Alphabet) < 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="parameter"/> when the id is malformed.</summary>
    public static void ThrowIfInvalid(string? id, string parameter)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException($"'{id}' is not a task id ({Format}).", parameter);
        }
    }

    /// <summary>The submission time an id carries, in Unix milliseconds.</summary>
    public static long IssuedAtMs(string id)
    {
        ThrowIfInvalid(id, nameof(id));
        return Decode(id.AsSpan(0, HalfLength));
    }

    internal static void Encode(long value, Span<char> into)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    }

    private static long Decode(ReadOnlySpan<char> digits)
    {
        long value = 0;
        foreach (var c in digits)
        {
            value = (value << 5) | (long)Alphabet.IndexOf(c);
        }

        return value;
    }
}
