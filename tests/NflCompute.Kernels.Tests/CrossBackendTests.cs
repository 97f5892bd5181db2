using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.OpenCl;

namespace NflCompute.Kernels.Tests;

/// <summary>The same job gives identical counts and means on every backend present.</summary>
public sealed class CrossBackendTests : IDisposable
{
    private readonly List<ComputeBackend> _backends = [new CpuSimdBackend()];

    public CrossBackendTests()
    {
        _backends.AddRange(OpenClBackend.Discover().Select(d => (ComputeBackend)new OpenClBackend(d)));
        Assert.True(_backends.Count >= 2, "Only the CPU backend is present: install pocl-opencl-icd (deploy/local/up.sh does).");
    }

    [Fact]
    public void SignFlipCounts_AreIdenticalOnEveryBackend()
    {
        var d = GoldenStats.Case("large_n", "brier_n2000").P("d").Doubles();
        var models = new[] { d, d.Select(v => v * 0.5 + 0.001).ToArray(), d.Reverse().ToArray() };
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
        _backends.ForEach(b => b.Dispose());
        GC.SuppressFinalize(this);
    }
}
