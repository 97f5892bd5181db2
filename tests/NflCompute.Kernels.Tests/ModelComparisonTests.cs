using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

public sealed class ModelComparisonTests : IDisposable
{
    private readonly CpuSimdBackend _cpu = new();

    [Fact]
    public void Progress_IsTheShareOfResamplesDone_AfterThePermutationsAndEachModelsBootstrap()
    {
        double[] y = [1, 0, 1, 1, 0, 1, 0, 1];
        double[] baseline = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
        var seen = new List<double>();

        ModelComparison.Run(_cpu, y, baseline, [("m1", [0.6, 0.4, 0.6, 0.7, 0.3, 0.6, 0.4, 0.6]), ("m2", [0.7, 0.3, 0.7, 0.6, 0.4, 0.7, 0.3, 0.7])],
            new ModelComparisonOptions { PermutationResamples = 3000, BootstrapResamples = 1000 }, new Reported(seen.Add), TestContext.Current.CancellationToken);

        // 3,000 permutations and 1,000 bootstrap resamples: 3/4 after the permutations, then half of the rest per model.
        Assert.Equal([0.75, 0.875, 1.0], seen);
    }

    private sealed class Reported(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    [Fact]
    public void ComparingModelsWithABaseline_GivesEachTheGoldenStatistics_AndAdjustsAcrossThem()
    {
        var golden = GoldenStats.Case("large_n", "brier_n200");
        var y = golden.P("y").Doubles();
        var a = golden.P("p_a").Doubles();
        var b = golden.P("p_b").Doubles();

        var results = ModelComparison.Run(_cpu, y, a, [("b", b), ("a-again", a)], new ModelComparisonOptions { Seed = 20251128 });

        var modelB = results[0];
        GoldenStats.Close(golden.P("summary").D("mean_d"), modelB.Improvement, "improvement", 1e-10);
        GoldenStats.Close(golden.P("ttest_rel").D("statistic"), modelB.TTest.Statistic, "t", 1e-10);
        GoldenStats.Close(golden.P("effect_size").D("d_z"), modelB.CohenDz, "d_z", 1e-10);
        var reference = golden.P("permutation_reference");
        GoldenStats.McPValue(reference.D("p_two_sided_abs"), reference.D("se_p_two_sided_abs"), modelB.Permutation.PTwoSided, 100_000, doubled: false, "p two-sided");
        Assert.InRange(modelB.Improvement, modelB.Bootstrap.BcaLow, modelB.Bootstrap.BcaHigh);

        // A model identical to the baseline: every difference is 0, every pattern ties, p = 1, and
        // the tests that divide by the spread are undefined (NaN, as scipy).
        Assert.Equal(1.0, results[1].Permutation.PTwoSided);
        Assert.True(double.IsNaN(results[1].TTest.Statistic) && double.IsNaN(results[1].DieboldMariano.PTwoSided));
        Assert.Equal(Math.Min(1, 2 * modelB.Permutation.PTwoSided), modelB.AdjustedP);
    }

    [Fact]
    public void ABadPrediction_IsNamedByModelAndGame()
    {
        var error = Assert.Throws<StatisticsInputException>(() =>
            ModelComparison.Run(_cpu, [1, 0, 1], [0.6, 0.4, 0.7], [("elo", [0.5, double.NaN, 0.5])]));

        Assert.StartsWith("models[\"elo\"][1] is NaN", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _cpu.Dispose();
}
