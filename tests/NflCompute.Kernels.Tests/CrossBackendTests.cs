using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// The same job gives identical counts, means and season tallies on every backend present: the
/// SIMD CPU backend, ILGPU's CPU accelerator (always here), and a CUDA or OpenCL GPU where there is one.
/// </summary>
public sealed class CrossBackendTests : IDisposable
{
    private readonly List<ComputeBackend> _backends = [new CpuSimdBackend(), IlgpuCpuBackendTests.Shared.Value];

    public CrossBackendTests()
    {
        foreach (var gpu in DeviceCatalog.Discover().Where(d => d.Profile.IsGpu))
        {
            _backends.Add(gpu.Open());
        }
    }

    [Fact]
    public void SignFlipCounts_AreIdenticalOnEveryBackend()
    {
        var d = GoldenStats.Case("large_n", "brier_n2000").P("d").Doubles();
        var models = new[] { d, d.Select(v => (v * 0.5) + 0.001).ToArray(), d.Reverse().ToArray() };
        var values = new float[d.Length * models.Length];
        for (var i = 0; i < d.Length; i++)
        {
            for (var m = 0; m < models.Length; m++)
            {
                values[(i * models.Length) + m] = (float)models[m][i];
            }
        }

        // Thresholds at the median of the null, where ties between float sums would show first.
        var thresholds = models.SelectMany(m => Enumerable.Repeat((float)(m.Sum() / 2), 4)).ToArray();
        var tables = SignFlipJob.BuildTables(values, models.Length, d.Length);
        var job = new SignFlipJob(tables, models.Length, tables.Length / (models.Length * 8), 30_001, Seed: 42, Stream: 9, thresholds);

        var counts = _backends.Select(b => b.CountSignFlips(job)).ToList();

        Assert.All(counts, c => Assert.Equal(counts[0], c));
        Assert.InRange(counts[0][0].GreaterOrEqual, 14_000, 16_000);
    }

    [Fact]
    public void BootstrapMeans_AreIdenticalOnEveryBackend()
    {
        var job = new BootstrapJob(GoldenStats.Case("large_n", "margin_n200").P("d").Doubles(), 20_000, Seed: 7, Stream: 1);

        var means = _backends.Select(b => b.BootstrapMeans(job)).ToList();

        Assert.All(means, m => Assert.Equal(means[0], m));
    }

    [Fact]
    public void SeasonSimulation_WithFixedRatings_TalliesIdenticallyOnEveryBackend()
    {
        var job = Leagues.Random(simulations: 4_001, seed: 11);

        var results = _backends.Select(b => b.SimulateSeasons(job)).ToList();

        Assert.All(results, r =>
        {
            Assert.Equal(results[0].ExpectedWins, r.ExpectedWins);
            Assert.Equal(results[0].Playoffs, r.Playoffs);
            Assert.Equal(results[0].DivisionTitles, r.DivisionTitles);
            Assert.Equal(results[0].TopSeed, r.TopSeed);
            Assert.Equal(results[0].Seeds, r.Seeds);
            Assert.Equal(results[0].Divisional, r.Divisional);
            Assert.Equal(results[0].ConferenceTitle, r.ConferenceTitle);
            Assert.Equal(results[0].SuperBowl, r.SuperBowl);
        });
    }

    [Fact]
    public void SeasonSimulation_WithHotRatings_AgreesOnEveryBackendToTheDevicesRounding()
    {
        var job = Leagues.Random(simulations: 2_000, seed: 12, hot: true);

        var results = _backends.Select(b => b.SimulateSeasons(job)).ToList();

        // A device's pow may move p by an ulp, which flips a draw only when it lands on the
        // threshold (about 2^-32 per game): a season or two of 2,000 at the very most.
        const double season = 1.0 / 2_000;
        Assert.All(results, r =>
        {
            for (var t = 0; t < job.Teams; t++)
            {
                Assert.Equal(results[0].ExpectedWins[t], r.ExpectedWins[t], 20 * season);
                Assert.Equal(results[0].Playoffs[t], r.Playoffs[t], 2 * season);
                Assert.Equal(results[0].DivisionTitles[t], r.DivisionTitles[t], 2 * season);
                Assert.Equal(results[0].TopSeed[t], r.TopSeed[t], 2 * season);
                Assert.Equal(results[0].ConferenceTitle[t], r.ConferenceTitle[t], 2 * season);
                Assert.Equal(results[0].SuperBowl[t], r.SuperBowl[t], 2 * season);
            }
        });
    }

    [Fact]
    public void EveryBackend_DescribesItsDevice()
    {
        Assert.All(_backends, b =>
        {
            Assert.False(string.IsNullOrWhiteSpace(b.Profile.Name));
            Assert.True(b.Profile.ComputeUnits > 0);
            Assert.True(b.Profile.GlobalMemoryBytes > 0);
            Assert.True(b.Profile.SupportsDouble);
        });
    }

    public void Dispose()
    {
        // The shared ILGPU CPU backend stays open for the suite that owns it.
        _backends.Where(b => !ReferenceEquals(b, IlgpuCpuBackendTests.Shared.Value)).ToList().ForEach(b => b.Dispose());
        GC.SuppressFinalize(this);
    }
}
