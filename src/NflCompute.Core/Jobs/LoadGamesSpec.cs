using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary><c>load-games</c>: a games CSV into Postgres, every row checked.</summary>
/// <param name="File">A text dataset holding the CSV; null for the shipped games file.</param>
/// <param name="Source">What to call the file in reports.</param>
public sealed record LoadGamesSpec(string? File = null, string? Source = null) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.LoadGames;
}
