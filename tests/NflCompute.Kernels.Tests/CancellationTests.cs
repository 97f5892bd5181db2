using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

/// <summary>Timing-sensitive tests run alone, not beside suites that load every core.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}

/// <summary>A cancelled job frees its device within about a second, on every backend present.</summary>
[Collection(AloneCollection.Name)]
public sealed class CancellationTests
{
    // As a worker does (WorkerLoop.ReserveThreads): kernels keep every core's pool thread busy, and
    // the timer that cancels must not wait for the pool to grow before it fires.
    public CancellationTests()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, (4 * Environment.ProcessorCount) + 8), io);
    }

    public static TheoryData<string> Devices => new(DeviceCatalog.Discover().Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Devices))]
    public void ACancelledJob_StopsWithinASecond_AndTheDeviceServesTheNextOne(string device)
    {
        using var backend = device == "ilgpu-cpu" ? null : DeviceCatalog.Open(device);
        var b = backend ?? IlgpuCpuBackendTests.Shared.Value;
        var d = GoldenStats.Case("large_n", "brier_n2000").P("d").Doubles();
        var before = PermutationTest.Run(b, d, 5_000, seed: 11);
        var league = Leagues.Random(simulations: 100_000_000, seed: 5);
        var sweep = new Nfl.EloSweepJob(BackendSuite.SyntheticSchedule(teams: 33, games: 3000), [.. Enumerable.Range(0, 400_000).Select(i => new Nfl.EloParameters(10 + (i % 30), i % 100, 0.3, 2.2, 0.001))]);

        // Each would run for minutes to hours; cancelled at 0.2 s, each must stop soon after.
        foreach (var (what, run) in new (string, Action<CancellationToken>)[]
        {
            ("permutation, 1e11 resamples", ct => PermutationTest.Run(b, d, 100_000_000_000, seed: 1, cancellationToken: ct)),
            ("bootstrap, 2e7 resamples", ct => Bootstrap.Run(b, d, 20_000_000, 0.95, seed: 1, cancellationToken: ct)),
            ("season simulation, 1e8 seasons", ct => b.SimulateSeasons(league, ct)),
            ("Elo sweep, 400,000 sets", ct => b.SweepElo(sweep, ct)),
        })
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => run(cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{device} {what}: stopped {clock.Elapsed.TotalSeconds:F2} s after it started (cancelled at 0.2 s)");
        }

        Assert.Equal(before, PermutationTest.Run(b, d, 5_000, seed: 11));
    }
}
