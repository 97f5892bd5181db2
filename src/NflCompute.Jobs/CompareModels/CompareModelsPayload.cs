using NflCompute.Kernels.Statistics;

namespace NflCompute.Jobs.CompareModels;

/// <summary>
/// The input of a <c>compare-models</c> task: dataset ids (uploaded to Postgres first), not the data.
/// Enum values are kebab-case in JSON: "log-loss", "two-sided", "benjamini-hochberg".
/// </summary>
public sealed record CompareModelsPayload
{
    /// <summary>Dataset of outcomes, one per game.</summary>
    public required string Outcomes { get; init; }

    /// <summary>Dataset of the baseline's predictions.</summary>
    public required string Baseline { get; init; }

    /// <summary>The models compared with the baseline.</summary>
    public required IReadOnlyList<ModelInput> Models { get; init; }

    /// <summary>Scoring rule; default Brier.</summary>
    public ScoringRule Rule { get; init; } = ScoringRule.Brier;

    /// <summary>Permutation resamples; default 10,000.</summary>
    public long PermutationResamples { get; init; } = 10_000;

    /// <summary>Bootstrap resamples; default 10,000.</summary>
    public long BootstrapResamples { get; init; } = 10_000;

    /// <summary>Confidence level; default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Alternative; default two-sided.</summary>
    public Alternative Alternative { get; init; } = Alternative.TwoSided;

    /// <summary>Adjustment across models; default Holm.</summary>
    public Adjustment Adjustment { get; init; } = Adjustment.Holm;

    /// <summary>The seed; the same seed gives the same answer on every device.</summary>
    public ulong Seed { get; init; } = 1;
}
