using BenchmarkDotNet.Attributes;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Bench.Statistics;

/// <summary>
/// The statistics engine under BenchmarkDotNet on each device present (n = 5000, 100k resamples):
/// the permutation test is the baseline. `stats` in Program.cs puts scipy's time beside these.
/// </summary>
[MemoryDiagnoser]
public class StatisticsBenchmarks
{
    private ComputeBackend _backend = null!;
    private double[] _differences = [];

    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    public static IEnumerable<string> Devices() => DeviceCatalog.Discover().Select(d => d.Id);

    [GlobalSetup]
    public void Setup()
    {
        _backend = DeviceCatalog.Open(Device);
        var random = new System.Random(7);
        _differences = Enumerable.Range(0, 5000).Select(_ => (random.NextDouble() - 0.5) * 0.2).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _backend.Dispose();

    [Benchmark(Baseline = true)]
    public double Permutation() => PermutationTest.Run(_backend, _differences, 100_000, seed: 1).PTwoSided;

    [Benchmark]
    public double BootstrapBca() => Bootstrap.Run(_backend, _differences, 100_000, 0.95, seed: 2).BcaLow;
}
