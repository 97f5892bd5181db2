using System.Text.Json.Serialization;
using NflCompute.Core.Statistics;

namespace NflCompute.Core.Jobs;

/// <summary><c>regression-check</c>: a model version against its previous and best versions.</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version to check.</param>
/// <param name="Outcomes">Outcomes dataset.</param>
/// <param name="Predictions">The version's predictions dataset, aligned with the outcomes.</param>
/// <param name="Rule">Scoring rule. Default brier.</param>
/// <param name="Margin">How much worse in mean loss before it counts. Default 0.</param>
/// <param name="Alpha">Significance level after correction. Default 0.05.</param>
/// <param name="PermutationResamples">Permutation resamples. Default 10,000.</param>
/// <param name="BootstrapResamples">Bootstrap resamples. Default 10,000.</param>
/// <param name="Seed">Generator seed. Default 1.</param>
public sealed record RegressionCheckSpec(string Model, string Version, string Outcomes, string Predictions, ScoringRule Rule = ScoringRule.Brier, double Margin = 0, double Alpha = 0.05, long PermutationResamples = 10_000, long BootstrapResamples = 10_000, ulong Seed = 1) : IJobSpec
{
    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => JobKinds.RegressionCheck;

    /// <inheritdoc />
    public IEnumerable<string> Problems(JobLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.ResampleProblems(PermutationResamples, BootstrapResamples);
    }
}
