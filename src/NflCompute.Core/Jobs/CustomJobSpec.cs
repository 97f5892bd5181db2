using System.Text.Json;
using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary>
/// A job of a kind the grid does not ship, given as its kind and its JSON payload (what
/// <c>nflc submit KIND --custom</c> sends): the payload goes to the worker as it is, for a handler
/// the modeler's own worker runs (see samples/CustomJob). A typed spec of one's own (an
/// <see cref="IJobSpec"/> record) is the better choice in code.
/// </summary>
[JsonConverter(typeof(CustomJobSpecConverter))]
public sealed record CustomJobSpec : IJobSpec
{
    private CustomJobSpec(string kind, JsonElement payload) => (Kind, Payload) = (kind, payload);

    /// <inheritdoc />
    public string Kind { get; }

    /// <summary>The payload, a JSON object.</summary>
    public JsonElement Payload { get; }

    /// <summary>Why <paramref name="kind"/> cannot be a custom kind (one the grid ships, or not a valid name); null when it can.</summary>
    public static string? KindProblem(string kind) =>
        JobKinds.Specs.TryGetValue(kind, out var spec) ? $"'{kind}' is a kind the grid ships; give its spec ({spec.Name}) instead of a custom one."
        : !Configuration.GridNameAttribute.IsName(kind) ? $"'{kind}' must be 1..64 letters, digits, '-', '_' or '.'."
        : null;

    /// <summary>The spec of <paramref name="kind"/> with the payload <paramref name="json"/>.</summary>
    /// <exception cref="ArgumentException">The kind cannot be a custom one (<see cref="KindProblem"/>).</exception>
    /// <exception cref="JsonException">The payload is not a JSON object.</exception>
    public static CustomJobSpec Parse(string kind, string json)
    {
        if (KindProblem(kind) is { } problem)
        {
            throw new ArgumentException(problem, nameof(kind));
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? new CustomJobSpec(kind, document.RootElement.Clone())
            : throw new JsonException($"the payload is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; a job's payload is an object.");
    }

    // Written as its payload alone, as a typed spec is written as its fields.
    private sealed class CustomJobSpecConverter : JsonConverter<CustomJobSpec>
    {
        public override CustomJobSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("A custom spec is read by its own handler, from the task's payload.");

        public override void Write(Utf8JsonWriter writer, CustomJobSpec value, JsonSerializerOptions options) => value.Payload.WriteTo(writer);
    }
}
