using NflCompute.Core.Statistics;
using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

public sealed class InputValidationTests
{
    [Theory]
    [InlineData(double.NaN, "predictions[1] is NaN")]
    [InlineData(double.PositiveInfinity, "predictions[1] is Infinity")]
    [InlineData(1.5, "predictions[1] is 1.5; Brier needs probabilities in [0, 1]")]
    [InlineData(-0.1, "predictions[1] is -0.1; Brier needs probabilities in [0, 1]")]
    public void BadPredictions_NameTheInputAndIndex(double bad, string expected)
    {
        var error = Assert.Throws<StatisticsInputException>(() => Scoring.Losses(ScoringRule.Brier, [1, 0, 1], [0.5, bad, 0.2]));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(("predictions", 1), (error.Input, error.Index));
    }

    [Fact]
    public void OutcomesMustBeZeroOrOne_ForProbabilityScores()
    {
        var error = Assert.Throws<StatisticsInputException>(() => Scoring.Losses(ScoringRule.LogLoss, [1, 2], [0.5, 0.5]));

        Assert.StartsWith("outcomes[1] is 2; LogLoss needs outcomes of 0 or 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthMismatch_SaysBothLengths()
    {
        var error = Assert.Throws<StatisticsInputException>(() => Scoring.Losses(ScoringRule.AbsoluteError, [1, 2, 3], [1, 2]));

        Assert.Contains("has 2 values but outcomes has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewValuesOrResamples_AreRefused()
    {
        using var cpu = new CpuSimdBackend();

        Assert.Contains("at least 2 are needed", Assert.Throws<StatisticsInputException>(() => PermutationTest.Run(cpu, [0.1], 1000, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("resamples: is 0", Assert.Throws<StatisticsInputException>(() => PermutationTest.Run(cpu, [0.1, 0.2], 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("differences[3] is NaN", Assert.Throws<StatisticsInputException>(() => Bootstrap.Run(cpu, [0.1, 0.2, 0.3, double.NaN], 100, 0.95, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("p[2] is 1.2", Assert.Throws<StatisticsInputException>(() => MultipleComparisons.Adjust([0.1, 0.2, 1.2], Adjustment.Holm)).Message, StringComparison.Ordinal);
    }
}
