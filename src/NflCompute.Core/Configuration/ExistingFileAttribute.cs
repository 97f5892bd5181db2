using System.ComponentModel.DataAnnotations;

namespace NflCompute.Core.Configuration;

/// <summary>A path that, when set, names a file that exists now (a password file, a CA certificate).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ExistingFileAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is not string path || File.Exists(path)
            ? ValidationResult.Success
            : SettingsValidator.Problem(validationContext, $"'{path}' does not exist.");
    }
}
