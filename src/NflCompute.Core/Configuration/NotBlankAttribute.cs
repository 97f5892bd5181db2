using System.ComponentModel.DataAnnotations;

namespace NflCompute.Core.Configuration;

/// <summary>Text that must be there: "RedisOptions.Configuration is empty; give host:port, e.g. 127.0.0.1:6379."</summary>
/// <param name="hint">What to give instead, ending the message.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotBlankAttribute(string hint) : ValidationAttribute
{
    /// <summary>What to give instead.</summary>
    public string Hint { get; } = hint;

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value switch
        {
            string s when !string.IsNullOrWhiteSpace(s) => ValidationResult.Success,
            System.Collections.ICollection { Count: > 0 } => ValidationResult.Success,
            _ => SettingsValidator.Problem(validationContext, $"is empty; {Hint}."),
        };
    }
}
