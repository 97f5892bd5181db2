using NflCompute.Core.Statistics;
using FsCheck;
using FsCheck.Fluent;
using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

public sealed class PropertyTests : IDisposable
{
    private readonly CpuSimdBackend _cpu = new();

    private static Gen<double[]> Differences(int minLength) =>
        Gen.Choose(minLength, 60).SelectMany(n => Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 997.0), n));

    [Fact]
    public void PValues_AreWithin_OneOverBPlusOne_AndOne()
    {
        Prop.ForAll(Arb.From(Differences(31)), d =>
        {
            var r = PermutationTest.Run(_cpu, d, 999, seed: 5);
            return !r.Exact && new[] { r.PGreater, r.PLess, r.PTwoSided }.All(p => p >= 1.0 / 1000 && p <= 1);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    [Fact]
    public void SwappingTheModels_MirrorsOneSidedPValues_AndNegatesTheDifference()
    {
        Prop.ForAll(Arb.From(Differences(2)), d =>
        {
            var forward = PermutationTest.Run(_cpu, d, 2000, seed: 11);
            var swapped = PermutationTest.Run(_cpu, d.Select(v => -v).ToArray(), 2000, seed: 11);
            return forward.Observed == -swapped.Observed && forward.PGreater == swapped.PLess && forward.PLess == swapped.PGreater && forward.PTwoSided == swapped.PTwoSided;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    [Fact]
    public void AdjustedPValues_AreMonotone_AndNoSmallerThanRaw()
    {
        var pValues = Gen.Choose(1, 40).SelectMany(m => Gen.ArrayOf(Gen.Choose(0, 10000).Select(v => v / 10000.0), m));
        Prop.ForAll(Arb.From(pValues), p =>
            Enum.GetValues<Adjustment>().All(method =>
            {
                var adjusted = MultipleComparisons.Adjust(p, method);
                var order = Enumerable.Range(0, p.Length).OrderBy(i => p[i]).ToArray();
                var monotone = order.Zip(order.Skip(1)).All(pair => adjusted[pair.First] <= adjusted[pair.Second]);
                return monotone && adjusted.Zip(p).All(x => x.First >= x.Second && x.First <= 1);
            })).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void BootstrapIntervals_ContainTheEstimate()
    {
        Prop.ForAll(Arb.From(Differences(5)), d =>
        {
            var r = Bootstrap.Run(_cpu, d, 2000, 0.95, seed: 3);
            var spread = d.Max() - d.Min();
            return spread == 0
                || (r.PercentileLow <= r.Estimate && r.Estimate <= r.PercentileHigh && r.BcaLow <= r.Estimate && r.Estimate <= r.BcaHigh);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    public void Dispose() => _cpu.Dispose();
}
