using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary><c>elo-ratings</c>: classic 538 Elo from the 1998 seeds over the loaded games.</summary>
/// <param name="FromSeason">First season reported (ratings always start from the 1998 seeds). Default 1999.</param>
/// <param name="ToSeason">Last season; default the latest loaded.</param>
/// <param name="Parameters">Elo constants; default 538's.</param>
public sealed record EloRatingsSpec(int FromSeason = 1999, int? ToSeason = null, EloParametersSpec? Parameters = null) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.EloRatings;
}
