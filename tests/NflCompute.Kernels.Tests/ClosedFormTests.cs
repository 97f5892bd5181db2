using NflCompute.Core.Statistics;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

/// <summary>The statistics that need no device, against golden/stats.json at 1e-12 relative.</summary>
public sealed class ClosedFormTests
{
    public static TheoryData<string> LargeCases => BackendSuite.LargeCases;

    [Theory]
    [InlineData("eps_1e-15", 1e-15)]
    [InlineData("eps_machine", 2.220446049250313e-16)]
    public void LogLoss_ClipsAsDocumented(string variant, double eps)
    {
        var golden = GoldenStats.Root.P("scoring_rules");
        var expected = golden.P("log_loss").P(variant);

        var losses = Scoring.Losses(ScoringRule.LogLoss, golden.P("y").Doubles(), golden.P("p").Doubles(), eps);

        var perExample = expected.P("per_example").Doubles();
        for (var i = 0; i < losses.Length; i++)
        {
            GoldenStats.Close(perExample[i], losses[i], $"log loss [{i}]");
        }

        GoldenStats.Close(expected.D("mean"), losses.Average(), "mean log loss");
    }

    [Fact]
    public void LogLoss_Unclipped_IsInfiniteForASureMiss_AndZeroForASureHit()
    {
        var losses = Scoring.Losses(ScoringRule.LogLoss, [1, 0, 1, 0], [0, 1, 1, 0], logLossEpsilon: 0);

        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity, 0, 0], losses);
    }

    [Fact]
    public void Brier_MatchesPerExampleAndMean()
    {
        var golden = GoldenStats.Root.P("scoring_rules");

        var losses = Scoring.Losses(ScoringRule.Brier, golden.P("y").Doubles(), golden.P("p").Doubles());

        var perExample = golden.P("brier").P("per_example").Doubles();
        for (var i = 0; i < losses.Length; i++)
        {
            GoldenStats.Close(perExample[i], losses[i], $"brier [{i}]");
        }

        GoldenStats.Close(golden.P("brier").D("mean"), losses.Average(), "mean brier");
    }

    // scipy's p at its own statistic is exact to about 1e-15 (checked against mpmath at 50 digits);
    // so is ours, where MathNet's Student t gave about 1e-12. (End to end, the p-values above also
    // carry the last-bit difference between two computations of the statistic, amplified several
    // times: 1.7e-14 for brier_n2000; hence 1e-12 there.)
    [Theory]
    [MemberData(nameof(LargeCases))]
    public void ThePValueOfScipysStatistic_MatchesScipys_To1e14(string id)
    {
        var golden = GoldenStats.Case("large_n", id);
        var expected = golden.P("ttest_rel");
        var df = golden.P("d").Doubles().Length - 1;

        var t = expected.D("statistic");
        GoldenStats.Close(expected.D("p_two_sided"), StudentTail.TwoSided(t, df), "p two-sided", relative: 1e-14);
        GoldenStats.Close(expected.D("p_greater"), StudentTail.Upper(t, df), "p greater", relative: 1e-14);
        GoldenStats.Close(expected.D("p_less"), StudentTail.Upper(-t, df), "p less", relative: 1e-14);
    }

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void PairedTTest_DieboldMariano_AndEffectSizes_MatchScipy(string id)
    {
        var golden = GoldenStats.Case("large_n", id);
        var d = golden.P("d").Doubles();

        var t = PairedTests.TTest(d);
        var expectedT = golden.P("ttest_rel");
        GoldenStats.Close(expectedT.D("statistic"), t.Statistic, "t");
        GoldenStats.Close(expectedT.D("p_two_sided"), t.PTwoSided, "t p two-sided");
        GoldenStats.Close(expectedT.D("p_greater"), t.PGreater, "t p greater");
        GoldenStats.Close(expectedT.D("p_less"), t.PLess, "t p less");

        foreach (var (name, h, harvey) in new[] { ("diebold_mariano_hln_h1", 1, true), ("diebold_mariano_raw_h1", 1, false), ("diebold_mariano_hln_h3", 3, true) })
        {
            var expected = golden.P(name);
            var dm = PairedTests.DieboldMariano(d, h, harvey);
            GoldenStats.Close(expected.D("statistic"), dm.Statistic, $"{name} statistic");
            GoldenStats.Close(expected.D("p_two_sided"), dm.PTwoSided, $"{name} p two-sided");
            GoldenStats.Close(expected.D("p_greater"), dm.PGreater, $"{name} p greater");
        }

        var effect = golden.P("effect_size");
        GoldenStats.Close(effect.D("d_z"), PairedTests.CohenDz(d), "d_z");
        GoldenStats.Close(effect.D("hedges_J"), PairedTests.HedgesJ(d.Length - 1), "J");
        GoldenStats.Close(effect.D("g_z"), PairedTests.HedgesGz(d), "g_z");
    }

    [Theory]
    [InlineData("bonferroni", Adjustment.Bonferroni)]
    [InlineData("holm", Adjustment.Holm)]
    [InlineData("benjamini_hochberg", Adjustment.BenjaminiHochberg)]
    [InlineData("benjamini_yekutieli", Adjustment.BenjaminiYekutieli)]
    public void AdjustedPValues_MatchR(string name, Adjustment method)
    {
        var golden = GoldenStats.Root.P("multiple_comparisons");

        var adjusted = MultipleComparisons.Adjust(golden.P("p").Doubles(), method);

        var expected = golden.P(name).Doubles();
        for (var i = 0; i < expected.Length; i++)
        {
            GoldenStats.Close(expected[i], adjusted[i], $"{name}[{i}]");
        }

        Assert.Equal(golden.P("rejections_at_0_05").P(name).GetInt32(), adjusted.Count(p => p <= 0.05));
    }

    [Theory]
    [InlineData("h5")]
    [InlineData("h4")]
    public void Cusum_AlarmsWhereTheReferenceDoes(string variant)
    {
        var golden = GoldenStats.Root.P("regression_detection_cusum");
        var expected = golden.P(variant);

        var (path, alarm) = Cusum.Upper(golden.P("x").Doubles(), golden.D("mu0"), golden.D("sigma0"), golden.D("k"), expected.D("h"));

        Assert.Equal(expected.P("first_alarm_index").GetInt32(), alarm);
        var s = expected.P("S").Doubles();
        for (var t = 0; t < s.Length; t++)
        {
            Assert.True(Math.Abs(s[t] - path[t]) <= 1e-12 * Math.Max(1, s[t]), $"S[{t}] {path[t]} vs {s[t]}");
        }
    }
}
