using System.Text.Json.Serialization;
using NflCompute.Core.Statistics;

namespace NflCompute.Core.Jobs;

/// <summary>One model of a comparison.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Predictions">Dataset id of its predictions.</param>
public sealed record ModelPredictions(string Name, string Predictions);

/// <summary>
/// <c>compare-models</c>: models against a baseline. Inputs are dataset ids (uploaded first), not
/// the data. Enum values are kebab-case in JSON: "log-loss", "two-sided", "benjamini-hochberg".
/// </summary>
public sealed record CompareModelsSpec : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.CompareModels;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var models = Models is { Count: var n } && n > limits.MaxModels ? [$"payload.models has {n:N0} models; a comparison takes at most {limits.MaxModels:N0} (Jobs:MaxModels)."] : Array.Empty<string>();
        return limits.ResampleProblems(PermutationResamples, BootstrapResamples).Concat(models);
    }

    /// <summary>Dataset of outcomes, one per game.</summary>
    public required string Outcomes { get; init; }

    /// <summary>Dataset of the baseline's predictions.</summary>
    public required string Baseline { get; init; }

    /// <summary>The models compared with the baseline.</summary>
    public required IReadOnlyList<ModelPredictions> Models { get; init; }

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
