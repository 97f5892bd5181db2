using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace NflCompute.Core.Configuration;

/// <summary>
/// Validates an options object the DataAnnotations way: each property's attributes
/// (<see cref="InRangeAttribute"/>, <see cref="DurationAttribute"/>, <see cref="GridNameAttribute"/>,
/// <see cref="ExistingFileAttribute"/>, <see cref="NotBlankAttribute"/>), then the object's own
/// rules across properties (<see cref="IValidatableObject"/>). Every problem is reported, each
/// naming the setting as <c>Options.Property</c>; <see cref="Errors.OptionsValidationException"/>
/// lists them all at once.
/// </summary>
public static class SettingsValidator
{
    /// <summary>Every problem with <paramref name="options"/>; empty when there is none.</summary>
    public static IReadOnlyList<string> Problems<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T options)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        // Property by property, then the object's own rules: Validator.TryValidateObject would skip
        // those whenever a property fails, and a user fixing one problem would then meet the next.
        var results = new List<ValidationResult>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attributes = property.GetCustomAttributes<ValidationAttribute>(inherit: true).ToArray();
            if (attributes.Length > 0)
            {
                Validator.TryValidateValue(property.GetValue(options), new ValidationContext(options, typeof(T).Name, null, null) { MemberName = property.Name }, results, attributes);
            }
        }

        if (options is IValidatableObject rules)
        {
            results.AddRange(rules.Validate(new ValidationContext(options, typeof(T).Name, null, null)));
        }

        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }

    /// <summary>
    /// A problem with the property <paramref name="context"/> is validating, its message naming the
    /// setting first: "QueueOptions.MaxAttempts " + <paramref name="detail"/>.
    /// </summary>
    internal static ValidationResult Problem(ValidationContext context, string detail) =>
        new($"{context.ObjectType.Name}.{context.MemberName} {detail}", context.MemberName is { } member ? [member] : null);

    /// <summary>Why a bound is what it is, for the end of a message: " (why)", or nothing.</summary>
    internal static string Bracketed(string? why) => why is null ? "" : $" ({why})";
}
