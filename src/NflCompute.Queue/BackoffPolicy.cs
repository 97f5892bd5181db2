using System.Globalization;

namespace NflCompute.Queue;

/// <summary>How long a task waits before its next attempt after a retryable failure.</summary>
/// <param name="Kind">Fixed delays, or delays that double with each attempt.</param>
/// <param name="Delay">The first delay (and every delay, when fixed).</param>
/// <param name="MaxDelay">The cap on any delay.</param>
/// <param name="Jitter">
/// Fraction in [0, 1]: each delay is shortened by a uniform random part of up to this much of itself,
/// so workers that failed together do not retry together. 0 gives exact delays.
/// </param>
public sealed record BackoffPolicy(BackoffKind Kind, TimeSpan Delay, TimeSpan MaxDelay, double Jitter)
{
    /// <summary>The same delay before every retry.</summary>
    public static BackoffPolicy Fixed(TimeSpan delay, double jitter = 0) => new(BackoffKind.Fixed, delay, delay, jitter);

    /// <summary><c>delay * 2^(attempt-1)</c>, capped at <paramref name="maxDelay"/>.</summary>
    public static BackoffPolicy Exponential(TimeSpan delay, TimeSpan maxDelay, double jitter = 0) =>
        new(BackoffKind.Exponential, delay, maxDelay, jitter);

    /// <summary>The delay before the retry that follows failed attempt <paramref name="attempt"/> (1-based), for a jitter draw <paramref name="u"/> in [0, 1).</summary>
    /// <remarks>The same formula as lua/fail.lua, which is what the queue applies.</remarks>
    public TimeSpan DelayAfter(int attempt, double u)
    {
        var ms = (double)(long)Delay.TotalMilliseconds;
        if (Kind == BackoffKind.Exponential)
        {
            ms *= Math.Pow(2, attempt - 1);
        }

        ms = Math.Min(ms, (long)MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Floor(ms * (1 - (Jitter * u))));
    }

    /// <summary>Problems with this policy, each naming <paramref name="path"/>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (Delay < TimeSpan.Zero)
        {
            yield return $"{path}.Delay is {Delay}; it must not be negative.";
        }

        if (MaxDelay < Delay)
        {
            yield return $"{path}.MaxDelay ({MaxDelay}) is shorter than {path}.Delay ({Delay}).";
        }

        if (!(Jitter >= 0 && Jitter <= 1))
        {
            yield return $"{path}.Jitter is {Jitter}; it must be in [0, 1].";
        }
    }

    /// <summary>The compact form lua/fail.lua reads: <c>kind:delay_ms:max_ms:jitter</c>.</summary>
    internal string ToSpec() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Kind == BackoffKind.Exponential ? 'e' : 'f')}:{(long)Delay.TotalMilliseconds}:{(long)MaxDelay.TotalMilliseconds}:{Jitter:0.######}");
}
