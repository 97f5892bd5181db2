using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary><c>nfl-compare-summary</c>: Holm across the seasons of a batch of nfl-compare tasks.</summary>
/// <param name="Tasks">The nfl-compare tasks to summarise (also its dependencies).</param>
public sealed record NflCompareSummarySpec(IReadOnlyList<string> Tasks) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.NflCompareSummary;
}
