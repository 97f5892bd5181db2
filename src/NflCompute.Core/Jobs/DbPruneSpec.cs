using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary><c>db-prune</c>: deletes the grid's task history the owner's retention lets go (<c>nflc db prune --keep</c>); it names no cutoff of its own.</summary>
public sealed record DbPruneSpec : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.DbPrune;
}
