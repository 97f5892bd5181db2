using System.Globalization;

namespace NflCompute.Queue;

/// <summary>
/// How far a running task is, as its handler last reported it: a fraction in [0, 1] and an
/// optional short message ("bootstrap 3 of 5 models"). It reaches Redis with the worker's next
/// heartbeat, so it is at most a heartbeat interval old.
/// </summary>
/// <param name="Fraction">Done so far, 0 to 1.</param>
/// <param name="Message">What the task is doing, at most <see cref="MaxMessageLength"/> characters.</param>
public sealed record JobProgress(double Fraction, string? Message = null)
{
    /// <summary>The longest message kept (longer ones are cut).</summary>
    public const int MaxMessageLength = 120;

    /// <summary>A report, checked: the fraction clamped into [0, 1], the message cut and stripped of control characters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is NaN.</exception>
    public static JobProgress Of(double fraction, string? message = null)
    {
        if (double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), "a progress fraction must be a number in [0, 1], not NaN");
        }

        var text = message is null ? null : new string([.. message.Where(c => !char.IsControl(c)).Take(MaxMessageLength)]);
        return new JobProgress(Math.Clamp(fraction, 0, 1), string.IsNullOrEmpty(text) ? null : text);
    }

    /// <summary>The task hash's <c>pg</c> field: "fraction|message".</summary>
    internal string Encode() => Fraction.ToString("0.####", CultureInfo.InvariantCulture) + "|" + Message;

    /// <summary>The progress a <c>pg</c> field holds; null when there is none.</summary>
    internal static JobProgress? Decode(string? field)
    {
        var bar = field?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (field is null || bar < 0)
        {
            return null;
        }

        return double.TryParse(field.AsSpan(0, bar), NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction)
            ? new JobProgress(fraction, bar + 1 < field.Length ? field[(bar + 1)..] : null)
            : null;
    }
}
