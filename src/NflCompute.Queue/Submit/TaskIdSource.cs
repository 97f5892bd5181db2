using System.Security.Cryptography;

namespace NflCompute.Queue;

/// <summary>
/// Issues <see cref="TaskIds"/> for one client: the time half from the submit's clock, the sequence
/// half from a random start (49 bits, drawn by the OS's generator at every new millisecond) plus
/// one per id. Two clients collide only when they draw overlapping runs in the same millisecond
/// (about n / 2^49 for n ids). Within a client ids grow strictly, even when the clock steps back:
/// the last time is kept until the clock passes it.
/// </summary>
internal sealed class TaskIdSource
{
    private const long SequenceLimit = 1L << 50;
    private const long RandomStartLimit = 1L << 49;
    private const long TimeLimit = 1L << 50;

    private readonly Lock _lock = new();
    private long _lastMs = -1;
    private long _next;

    /// <summary>Fills <paramref name="ids"/> with consecutive new ids issued at <paramref name="nowMs"/>.</summary>
    public void Issue(long nowMs, Span<string> ids)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nowMs);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nowMs, TimeLimit);
        long ms, first;
        lock (_lock)
        {
            if (nowMs > _lastMs)
            {
                (_lastMs, _next) = (nowMs, RandomStart());
            }
            else if (_next + ids.Length > SequenceLimit)
            {
                (_lastMs, _next) = (_lastMs + 1, RandomStart()); // this millisecond's run is used up
            }

            (ms, first) = (_lastMs, _next);
            _next += ids.Length;
        }

        Span<char> id = stackalloc char[TaskIds.Length];
        TaskIds.Encode(ms, id[..TaskIds.HalfLength]);
        for (var i = 0; i < ids.Length; i++)
        {
            TaskIds.Encode(first + i, id[TaskIds.HalfLength..]);
            ids[i] = new string(id);
        }
    }

    private static long RandomStart()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToInt64(bytes) & (RandomStartLimit - 1);
    }
}
