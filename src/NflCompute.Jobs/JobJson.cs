using System.Text.Json;
using System.Text.Json.Serialization;

namespace NflCompute.Jobs;

/// <summary>How every job reads its payload and writes its result: camelCase, kebab-case enums, NaN allowed.</summary>
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

    /// <summary>Reads a <paramref name="kind"/> payload.</summary>
    /// <exception cref="JobInputException">It is not valid JSON for <typeparamref name="T"/>; the message names where.</exception>
    public static T Parse<T>(string payload, string kind)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, Options)
                ?? throw new JobInputException($"payload is null; expected a {kind} object.");
        }
        catch (JsonException e)
        {
            throw new JobInputException($"payload is not a valid {kind} input at {e.Path ?? "$"}: {e.Message}", e);
        }
    }

    /// <summary>Writes a result.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
