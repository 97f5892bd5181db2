using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary><c>nfl-compare</c>: Elo and the market against a home-rate baseline on real games.</summary>
/// <param name="FromSeason">First season (2000 at the earliest: the home rate needs a season before).</param>
/// <param name="ToSeason">Last season; default FromSeason.</param>
/// <param name="PermutationResamples">Permutation resamples. Default 10,000.</param>
/// <param name="BootstrapResamples">Bootstrap resamples. Default 10,000.</param>
/// <param name="Seed">Generator seed. Default 1.</param>
public sealed record NflCompareSpec(int FromSeason, int? ToSeason = null, long PermutationResamples = 10_000, long BootstrapResamples = 10_000, ulong Seed = 1) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.NflCompare;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.ResampleProblems(PermutationResamples, BootstrapResamples);
    }
}
