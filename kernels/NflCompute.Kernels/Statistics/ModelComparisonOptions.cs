using NflCompute.Core.Statistics;
namespace NflCompute.Kernels.Statistics;

/// <summary>How <see cref="ModelComparison"/> compares models with a baseline.</summary>
public sealed record ModelComparisonOptions
{
    /// <summary>The scoring rule. Default Brier.</summary>
    public ScoringRule Rule { get; init; } = ScoringRule.Brier;

    /// <summary>Log-loss clipping (see <see cref="Scoring.DefaultLogLossEpsilon"/>).</summary>
    public double LogLossEpsilon { get; init; } = Scoring.DefaultLogLossEpsilon;

    /// <summary>Permutation resamples (exact enumeration when 2^n is within them). Default 100,000.</summary>
    public long PermutationResamples { get; init; } = 100_000;

    /// <summary>Bootstrap resamples. Default 100,000.</summary>
    public long BootstrapResamples { get; init; } = 100_000;

    /// <summary>Confidence level of the intervals. Default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// The alternative, on d = loss(baseline) - loss(model): Greater asks whether the model beats the
    /// baseline. Default two-sided.
    /// </summary>
    public Alternative Alternative { get; init; } = Alternative.TwoSided;

    /// <summary>Adjustment of the permutation p-values across models. Default Holm.</summary>
    public Adjustment Adjustment { get; init; } = Adjustment.Holm;

    /// <summary>Diebold-Mariano forecast horizon. Default 1.</summary>
    public int Horizon { get; init; } = 1;

    /// <summary>Optional block of each game (e.g. its week) for block permutation and bootstrap.</summary>
    public int[]? Blocks { get; init; }

    /// <summary>The task's seed: the same seed gives the same answer on every backend.</summary>
    public ulong Seed { get; init; } = 1;
}
