using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace NflCompute.Core.Configuration;

/// <summary>
/// A <see cref="TimeSpan"/> bounded below (and optionally above), written as TimeSpan text
/// ("00:00:01"): "WorkerOptions.StartupPatience is 00:00:00; it must be more than 00:00:00."
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DurationAttribute(string minimum, string? maximum = null) : ValidationAttribute
{
    /// <summary>The smallest duration allowed.</summary>
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    /// <summary>The largest allowed; none when null.</summary>
    public TimeSpan? Maximum { get; } = maximum is null ? null : TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    /// <summary>When true the minimum itself is not allowed ("must be more than").</summary>
    public bool Exclusive { get; set; }

    /// <summary>What a value at a bound means, added to the message in brackets ("0 keeps dead letters until purged").</summary>
    public string? Why { get; set; }

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var duration = (TimeSpan)value!;
        var low = Exclusive ? duration > Minimum : duration >= Minimum;
        if (low && (Maximum is null || duration <= Maximum))
        {
            return ValidationResult.Success;
        }

        var range = Maximum is { } most ? $"in {Minimum}..{most}" : Exclusive ? $"more than {Minimum}" : $"at least {Minimum}";
        return SettingsValidator.Problem(validationContext, $"is {duration}; it must be {range}{SettingsValidator.Bracketed(Why)}.");
    }
}
