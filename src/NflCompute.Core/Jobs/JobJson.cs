using System.Text.Json;
using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary>How job specs and results travel: camelCase, kebab-case enums ("log-loss"), NaN allowed.</summary>
public static class JobJson
{
    /// <summary>The serializer options of payloads and results.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,

        // Undefined tests (no variance) are NaN, as in scipy; JSON carries them as "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The options specs are read with: those of <see cref="Options"/>, and a field the spec does not
    /// have is an error that names it (a misspelt "permutationResamles" would otherwise be dropped
    /// and its default used without a word). Results are read leniently, so a newer worker may add fields.
    /// </summary>
    public static readonly JsonSerializerOptions SpecOptions = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Writes a spec or a result.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a spec or a result.</summary>
    /// <exception cref="JsonException">The text is not valid JSON for <typeparamref name="T"/>.</exception>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    /// <summary>Reads a spec strictly (<see cref="SpecOptions"/>).</summary>
    /// <exception cref="JsonException">The text is not valid JSON for <paramref name="type"/>, or has a field it lacks (named).</exception>
    public static object? DeserializeSpec(string json, Type type) => JsonSerializer.Deserialize(json, type, SpecOptions);
}
