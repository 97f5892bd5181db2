using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace NflCompute.Core.Configuration;

/// <summary>A name the grid uses in Redis keys (a namespace, a class, a kind): 1..64 letters, digits, '-', '_' or '.'. On a list, each item (<see cref="DistinctAttribute"/> refuses repeats).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class GridNameAttribute : ValidationAttribute
{
    /// <summary>The setting is a list of names, each checked; a missing list is <see cref="NotBlankAttribute"/>'s to report.</summary>
    public bool Each { get; set; }

    /// <summary>Whether <paramref name="name"/> is a valid grid name.</summary>
    public static bool IsName(string? name) => name is not null && Pattern().IsMatch(name);

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is null && Each)
        {
            return ValidationResult.Success; // a missing list is [NotBlank]'s to report
        }

        if (value is IEnumerable<string?> names)
        {
            var bad = names.Where(n => !IsName(n)).Select(n => $"'{n}'").ToList();
            return bad.Count == 0 ? ValidationResult.Success : SettingsValidator.Problem(validationContext, $"has {string.Join(", ", bad)}; a name must be 1-64 letters, digits, '-', '_' or '.'.");
        }

        return IsName(value as string) ? ValidationResult.Success : SettingsValidator.Problem(validationContext, $"'{value}' must be 1-64 letters, digits, '-', '_' or '.'.");
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex Pattern();
}
