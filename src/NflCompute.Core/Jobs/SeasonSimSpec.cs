using System.Text.Json.Serialization;

namespace NflCompute.Core.Jobs;

/// <summary>Ratings during a simulated season.</summary>
public enum RatingMode
{
    /// <summary>Ratings stay as they are at the start.</summary>
    Fixed,

    /// <summary>Each simulated result moves the ratings (shift = K * (result - p)).</summary>
    Hot,
}

/// <summary><c>season-sim</c>: Monte Carlo of the rest of a regular season.</summary>
/// <param name="Season">The season to simulate.</param>
/// <param name="AfterWeek">Games of later weeks are simulated even if played; default: every game played so far counts.</param>
/// <param name="Simulations">Seasons to simulate. Default 100,000.</param>
/// <param name="Ratings">fixed (default) or hot.</param>
/// <param name="Seed">Generator seed. Default 1.</param>
/// <param name="Parameters">Elo constants; default 538's.</param>
public sealed record SeasonSimSpec(int Season, int? AfterWeek = null, int Simulations = 100_000, RatingMode Ratings = RatingMode.Fixed, ulong Seed = 1, EloParametersSpec? Parameters = null) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.SeasonSim;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new[] { JobLimits.OutOfRange("simulations", Simulations, limits.MaxSimulations, nameof(JobLimits.MaxSimulations)) }.OfType<string>();
    }
}
