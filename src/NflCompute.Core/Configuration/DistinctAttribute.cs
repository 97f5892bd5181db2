using System.ComponentModel.DataAnnotations;

namespace NflCompute.Core.Configuration;

/// <summary>A list of names with none twice: "QueueOptions.Classes names cpu twice."</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DistinctAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is IEnumerable<string?> names && names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? SettingsValidator.Problem(validationContext, $"names {twice.Key} twice.")
            : ValidationResult.Success;
    }
}
