using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace NflCompute.Core.Configuration;

/// <summary>A number in [Minimum, Maximum]; NaN is out of every range. The message gives the value and the range: "QueueOptions.MaxAttempts is 0; it must be in 1..1000."</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InRangeAttribute : ValidationAttribute
{
    /// <summary>An integer range.</summary>
    public InRangeAttribute(long minimum, long maximum) => (Minimum, Maximum) = (minimum, maximum);

    /// <summary>A real range.</summary>
    public InRangeAttribute(double minimum, double maximum) => (Minimum, Maximum) = (minimum, maximum);

    /// <summary>The smallest value allowed.</summary>
    public double Minimum { get; }

    /// <summary>The largest value allowed.</summary>
    public double Maximum { get; }

    /// <summary>Why the range is what it is, added to the message in brackets.</summary>
    public string? Why { get; set; }

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        // A bound at the type's own maximum is no bound: "at least 1", not "in 1..9.2E+18".
        var range = Maximum is int.MaxValue or long.MaxValue ? $"at least {Minimum}" : $"in {Minimum}..{Maximum}";
        return number >= Minimum && number <= Maximum ? ValidationResult.Success : SettingsValidator.Problem(validationContext, string.Create(CultureInfo.InvariantCulture,
            $"is {value}; it must be {range}{SettingsValidator.Bracketed(Why)}."));
    }
}
