using MathNet.Numerics.Distributions;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// The statistics that run on a device, checked against golden/stats.json on one backend. Each
/// backend has a thin subclass; one that is absent reports its tests as skipped.
/// </summary>
public abstract class BackendSuite : IDisposable
{
    private const long Resamples = 100_000;
    private readonly Lazy<ComputeBackend> _backend;

    protected BackendSuite() => _backend = new Lazy<ComputeBackend>(CreateBackend);

    protected ComputeBackend Backend => _backend.Value;

    protected abstract ComputeBackend CreateBackend();

    public static TheoryData<string> ExactCases => new(GoldenStats.Cases("exact_permutation").Select(c => c.GetProperty("id").GetString()!));

    public static TheoryData<string> LargeCases => new(GoldenStats.Cases("large_n").Select(c => c.GetProperty("id").GetString()!));

    [Fact]
    public void EloSweep_ScoresEveryParameterSet_AsTheReferenceEngineDoes()
    {
        var schedule = SyntheticSchedule(teams: 33, games: 3000);
        var sets = new List<Nfl.EloParameters>();
        foreach (var k in new[] { 10.0, 20, 30 })
        {
            foreach (var edge in new[] { 0.0, 65, 100 })
            {
                foreach (var reversion in new[] { 0.0, 1.0 / 3, 1 })
                {
                    sets.Add(new Nfl.EloParameters(k, edge, reversion, 2.2, 0.001));
                }
            }
        }

        // Other margin constants (with slope 0.004 the divisor d * slope + scale crosses zero at
        // |d| = 375, where the update is so ill-conditioned that a last-bit difference in pow grows
        // past 1e-8 over the 3,000 games).
        sets.Add(Nfl.EloParameters.Classic with { MarginScale = 1.5, MarginSlope = 0.002 });
        var scores = Backend.SweepElo(new Nfl.EloSweepJob(schedule, sets));

        Assert.Equal(sets.Count, scores.Length);
        for (var c = 0; c < sets.Count; c++)
        {
            var reference = Nfl.EloEngine.Score(schedule, sets[c]);
            Assert.Equal(sets[c], scores[c].Parameters);
            Assert.Equal(reference.Games, scores[c].Games);
            // Each device's pow and log may differ in the last bits, and 3,000 chained updates carry that along.
            Assert.True(Math.Abs(reference.Brier - scores[c].Brier) < 1e-8, $"set {c} {sets[c]}: {reference.Brier} vs {scores[c].Brier}");
            Assert.Equal(reference.LogLoss, scores[c].LogLoss, 1e-8);
        }
    }

    // Random seasons of a random league: ties, neutral sites (some hosted by a participant), unplayed games, season starts, new teams.
    internal static Nfl.EloSchedule SyntheticSchedule(int teams, int games)
    {
        var random = new System.Random(7);
        var (home, away) = (new int[games], new int[games]);
        var (homeStart, awayStart) = (new Nfl.SeasonStart[games], new Nfl.SeasonStart[games]);
        var (neutral, scored) = (new bool[games], new bool[games]);
        var (outcome, margin) = (new double[games], new double[games]);
        var host = new Nfl.NeutralSiteHost[games];
        var lastSeason = new int[teams];
        for (var g = 0; g < games; g++)
        {
            var season = 1 + (g * 10 / games);
            home[g] = random.Next(teams);
            away[g] = (home[g] + 1 + random.Next(teams - 1)) % teams;
            foreach (var (team, starts) in new[] { (home[g], homeStart), (away[g], awayStart) })
            {
                starts[g] = lastSeason[team] == season ? Nfl.SeasonStart.None : team == 0 && season == 4 ? Nfl.SeasonStart.NewTeam : Nfl.SeasonStart.Revert;
                lastSeason[team] = season;
            }

            neutral[g] = random.Next(20) == 0;
            host[g] = neutral[g] ? (Nfl.NeutralSiteHost)random.Next(3) : Nfl.NeutralSiteHost.None;
            var played = g < games - 50;
            var diff = random.Next(-30, 31);
            outcome[g] = !played ? double.NaN : diff > 0 ? 1 : diff < 0 ? 0 : 0.5;
            margin[g] = played ? Math.Abs(diff) : 0;
            scored[g] = played && season >= 3;
        }

        var seeds = Enumerable.Range(0, teams).Select(_ => 1300 + (400 * random.NextDouble())).ToArray();
        return new Nfl.EloSchedule(seeds, home, away, neutral, homeStart, awayStart, outcome, margin, scored, host);
    }

    [Theory]
    [MemberData(nameof(ExactCases))]
    public void ExactEnumeration_CountsEverySignPatternExactly(string id)
    {
        var golden = GoldenStats.Case("exact_permutation", id);
        var exact = golden.P("exact");
        var d = golden.P("d").Doubles();

        var result = PermutationTest.Run(Backend, d, Resamples, seed: 1);

        Assert.True(result.Exact);
        Assert.Equal(exact.P("n_signflips").GetInt64(), result.Resamples);
        Assert.Equal(exact.P("count_greater_equal").GetInt64(), result.CountGreater);
        Assert.Equal(exact.P("count_less_equal").GetInt64(), result.CountLess);
        Assert.Equal(exact.P("count_abs_greater_equal").GetInt64(), result.CountAbs);
        Assert.Equal(exact.D("p_greater"), result.PGreater);
        Assert.Equal(exact.D("p_less"), result.PLess);
        Assert.Equal(exact.D("p_two_sided_abs"), result.PTwoSided);
        GoldenStats.Close(exact.D("observed_mean"), result.Observed, "observed mean");
    }

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void MonteCarloPermutation_AgreesWithTheHighPrecisionReference(string id)
    {
        var golden = GoldenStats.Case("large_n", id);
        var reference = golden.P("permutation_reference");

        var result = PermutationTest.Run(Backend, golden.P("d").Doubles(), Resamples, seed: 20251128);

        Assert.False(result.Exact);
        // Monte Carlo references carry their standard errors; exact ones (dynamic programming) have none.
        double Se(string name) => reference.TryGetProperty(name, out var v) ? v.GetDouble() : 0;
        GoldenStats.McPValue(reference.D("p_greater"), Se("se_p_greater"), result.PGreater, Resamples, doubled: false, $"{id} p_greater");
        GoldenStats.McPValue(reference.D("p_less"), Se("se_p_greater"), result.PLess, Resamples, doubled: false, $"{id} p_less");
        GoldenStats.McPValue(reference.D("p_two_sided_abs"), Se("se_p_two_sided_abs"), result.PTwoSided, Resamples, doubled: false, $"{id} p_two_sided_abs");
    }

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void Bootstrap_PercentileAndBcaIntervals_AgreeWithTheReference(string id)
    {
        var golden = GoldenStats.Case("large_n", id);
        var reference = golden.P("bootstrap_reference");
        var d = golden.P("d").Doubles();
        // The exact (B = infinity) references of the integer-margin cases sit on a lattice; Monte
        // Carlo references add their own noise.
        var lattice = reference.TryGetProperty("lattice_step", out var step) ? step.GetDouble() : 0;
        long? referenceB = reference.TryGetProperty("n_resamples", out var b) ? b.GetInt64() : null;

        var result = Bootstrap.Run(Backend, d, Resamples, 0.95, seed: 20251134);

        var se = reference.D("standard_error");
        var bca = reference.P("bca");
        var z0 = bca.D("z0");
        double Tolerance(double q, bool isBca)
        {
            var phi = Normal.PDF(0, 1, Normal.InvCDF(0, 1, q));
            double Var(long b) => (q * (1 - q) / (b * phi * phi)) + (isBca ? 1.0 / (b * Math.Pow(Normal.PDF(0, 1, z0), 2)) : 0);
            return (4 * se * Math.Sqrt(Var(Resamples) + (referenceB is { } rb ? Var(rb) : 0))) + lattice;
        }

        void Endpoint(double expected, double actual, double tolerance, string what) =>
            Assert.True(Math.Abs(expected - actual) <= tolerance, $"{id} {what}: {actual:R} vs reference {expected:R}, tolerance {tolerance:E2}");

        var percentile = reference.P("percentile");
        Endpoint(percentile.D("low"), result.PercentileLow, Tolerance(0.025, false), "percentile low");
        Endpoint(percentile.D("high"), result.PercentileHigh, Tolerance(0.975, false), "percentile high");
        Endpoint(bca.D("low"), result.BcaLow, Tolerance(bca.D("alpha1"), true), "BCa low");
        Endpoint(bca.D("high"), result.BcaHigh, Tolerance(bca.D("alpha2"), true), "BCa high");
        Assert.True(Math.Abs(result.Z0 - z0) <= 4 * Math.Sqrt(0.25 / Resamples) / Normal.PDF(0, 1, z0), $"{id} z0 {result.Z0} vs {z0}");
        // 2e-12, not 1e-12: the golden a of margin_n2000 carries 1.05e-12 of numpy's own rounding
        // (exact rational arithmetic gives -8.513915532041588e-05; the engine is within 4e-15 of it).
        GoldenStats.Close(bca.D("a"), result.Acceleration, $"{id} acceleration", relative: 2e-12);
        GoldenStats.Close(golden.P("summary").D("mean_d"), result.Estimate, $"{id} estimate");
    }

    [Fact]
    public void ManyModelsInOneLaunch_GiveEachModelItsOwnResult()
    {
        var cases = GoldenStats.Cases("large_n").Take(2).Select(c => c.P("d").Doubles()).ToArray();
        var n = Math.Min(cases[0].Length, cases[1].Length);
        var models = new[] { cases[0][..n], cases[1][..n], cases[0][..n].Select(v => -v).ToArray() };

        var together = PermutationTest.RunMany(Backend, models, 20_000, seed: 7);
        var alone = models.Select(m => PermutationTest.Run(Backend, m, 20_000, seed: 7)).ToArray();

        Assert.Equal(alone, together);
        Assert.Equal(together[0].CountGreater, together[2].CountLess);
    }

    [Fact]
    public void TheSameTask_GivesTheSameCounts_EveryTimeItRuns()
    {
        var d = GoldenStats.Case("large_n", "brier_n2000").P("d").Doubles();

        var first = PermutationTest.Run(Backend, d, 50_000, seed: 99, stream: 3);
        var second = PermutationTest.Run(Backend, d, 50_000, seed: 99, stream: 3);
        var otherStream = PermutationTest.Run(Backend, d, 50_000, seed: 99, stream: 4);

        Assert.Equal(first, second);
        Assert.NotEqual(first.CountGreater, otherStream.CountGreater);
    }

    public void Dispose()
    {
        if (_backend.IsValueCreated)
        {
            Release(_backend.Value);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Lets go of the backend after a test; a suite that shares one backend across its tests keeps it.</summary>
    protected virtual void Release(ComputeBackend backend) => backend.Dispose();
}
