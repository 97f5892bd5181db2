using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary><c>elo-sweep</c>: every combination of the axes, scored by Brier and log loss; an axis left out is 538's single value.</summary>
/// <param name="K">K values.</param>
/// <param name="HomeEdge">Home edges.</param>
/// <param name="Reversion">Season reversions.</param>
/// <param name="MarginScale">Margin multiplier scales.</param>
/// <param name="MarginSlope">Margin multiplier slopes.</param>
/// <param name="ToSeason">Last season run and scored; default the latest loaded.</param>
/// <param name="ScoreFromSeason">First season scored. Default 2000 (1999 lets the seeds settle).</param>
public sealed record EloSweepSpec(
    IReadOnlyList<double>? K = null, IReadOnlyList<double>? HomeEdge = null, IReadOnlyList<double>? Reversion = null,
    IReadOnlyList<double>? MarginScale = null, IReadOnlyList<double>? MarginSlope = null, int? ToSeason = null, int ScoreFromSeason = 2000) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.EloSweep;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var sets = new[] { K, HomeEdge, Reversion, MarginScale, MarginSlope }.Aggregate(1.0, (product, axis) => product * Math.Max(axis?.Count ?? 1, 1));
        return sets <= limits.MaxSweepSets ? [] : [$"payload asks for {sets:N0} parameter sets; one sweep takes at most {limits.MaxSweepSets:N0} (Jobs:MaxSweepSets). Split it into several tasks."];
    }
}
