using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary><c>noop</c>: does nothing; measures the grid's overhead.</summary>
public sealed record NoopSpec : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.Noop;
}
