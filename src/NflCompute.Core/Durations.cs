using System.Globalization;

namespace NflCompute.Core;

/// <summary>Durations as people type them on a command line: 250ms, 10s, 5m, 12h, 90d, or a TimeSpan (00:00:02, 1.00:00:00).</summary>
public static class Durations
{
    /// <summary>The duration <paramref name="text"/> names; null when it names none.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
        }

        var unit = text.TrimStart("0123456789.".ToCharArray());
        if (!double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return null;
        }

        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" or "min" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            "d" => TimeSpan.FromDays(value),
            _ => null,
        };
    }
}
