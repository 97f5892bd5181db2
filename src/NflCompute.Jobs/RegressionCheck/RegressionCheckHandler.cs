using NflCompute.Core.Jobs;
using NflCompute.Core.Statistics;
using NflCompute.Kernels.Statistics;
using NflCompute.Storage.Models;

namespace NflCompute.Jobs.RegressionCheck;

/// <summary>
/// <c>regression-check</c>: a model version's per-game losses against its previous version and its
/// best (the earlier versions scored on the same outcomes with the same rule). A regression is
/// recorded when the new version is worse by a one-sided permutation test at level alpha after Holm
/// correction across the two comparisons, and by more than the margin in mean loss. Regressions go
/// to Postgres with their evidence and to nflc_regressions_total; the version is then registered.
/// </summary>
public sealed class RegressionCheckHandler(ModelStore models) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.RegressionCheck;


    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = JobPayload.Parse<RegressionCheckSpec>(context, TaskKind);
        if (!(p.Alpha is > 0 and < 1) || !(p.Margin >= 0) || string.IsNullOrWhiteSpace(p.Model) || string.IsNullOrWhiteSpace(p.Version))
        {
            throw new JobInputException($"payload: model and version must be named, alpha in (0, 1) (got {p.Alpha}), margin >= 0 (got {p.Margin}).");
        }

        var rule = JobJson.Serialize(p.Rule).Trim('"');
        // In a chain (the nightly schedule) both may name what the elo-ratings step before made.
        p = p with
        {
            Outcomes = await context.DatasetIdAsync(p.Outcomes, "outcomes").ConfigureAwait(false),
            Predictions = await context.DatasetIdAsync(p.Predictions, "predictions").ConfigureAwait(false),
        };
        var y = await context.Datasets.GetAsync(p.Outcomes, context.CancellationToken).ConfigureAwait(false);
        var predictions = await context.Datasets.GetAsync(p.Predictions, context.CancellationToken).ConfigureAwait(false);
        var meanLoss = Scoring.Losses(p.Rule, y, predictions).Average();
        var earlier = (await models.VersionsAsync(p.Model, p.Version, context.CancellationToken).ConfigureAwait(false))
            .Where(v => v.Outcomes == p.Outcomes && v.Rule == rule).ToList();
        var compared = PreviousAndBest(earlier);
        var (evidence, regressions) = compared.Count == 0 ? ([], []) : await CompareAsync(context, p, rule, y, predictions, compared).ConfigureAwait(false);

        await models.WriteRegressionsAsync(context.Task.Id, regressions, context.CancellationToken).ConfigureAwait(false);
        await models.WriteMetricsAsync(context.Task.Id, [new ModelMetricRow(p.Model, p.Version, rule, meanLoss, y.Length, null, null)], context.CancellationToken).ConfigureAwait(false);
        await models.RegisterVersionAsync(new ModelVersion(p.Model, p.Version, p.Outcomes, p.Predictions, rule, meanLoss, default), context.Task.Id, context.CancellationToken).ConfigureAwait(false);
        foreach (var _ in regressions)
        {
            context.Metrics?.RegressionFound(p.Model);
        }

        return JobJson.Serialize(new { p.Model, p.Version, rule, meanLoss, games = y.Length, regressions = regressions.Count, comparisons = evidence });
    }

    // What a version is checked against: the one registered last, and the best so far when that is another.
    private static List<(string Role, ModelVersion Version)> PreviousAndBest(List<ModelVersion> earlier)
    {
        if (earlier.Count == 0)
        {
            return [];
        }

        var best = earlier.MinBy(v => v.MeanLoss)!;
        return best.Version == earlier[^1].Version ? [("previous", earlier[^1])] : [("previous", earlier[^1]), ("best", best)];
    }

    // The new version against each compared one, one-sided with Holm: a regression when the old one
    // was better by more than the margin, significantly.
    private static async Task<(List<object> Evidence, List<RegressionRow> Regressions)> CompareAsync(JobContext context, RegressionCheckSpec p, string rule, double[] y, double[] predictions, List<(string Role, ModelVersion Version)> compared)
    {
        var old = new List<(string, double[])>();
        foreach (var (_, v) in compared)
        {
            old.Add((v.Version, await context.Datasets.GetAsync(v.Predictions, context.CancellationToken).ConfigureAwait(false)));
        }

        // Baseline = the new version: d = loss(new) - loss(old) > 0 when the old one was better.
        var results = ModelComparison.Run(context.Device, y, predictions, old, new ModelComparisonOptions
        {
            Rule = p.Rule,
            Alternative = Alternative.Greater,
            Adjustment = Adjustment.Holm,
            PermutationResamples = p.PermutationResamples,
            BootstrapResamples = p.BootstrapResamples,
            Seed = p.Seed,
        }, context.Stage(0.1, 0.9, $"comparing {p.Model} {p.Version} with the versions before"), context.CancellationToken);
        var (evidence, regressions) = (new List<object>(), new List<RegressionRow>());
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var worse = r.AdjustedP < p.Alpha && r.Improvement > p.Margin;
            var item = new { against = compared[i].Role, version = r.Model, newMeanLoss = r.BaselineMeanLoss, oldMeanLoss = r.MeanLoss, difference = r.Improvement, pGreater = r.Permutation.PGreater, adjustedP = r.AdjustedP, bcaLow = r.Bootstrap.BcaLow, bcaHigh = r.Bootstrap.BcaHigh, games = y.Length, regression = worse };
            evidence.Add(item);
            if (worse)
            {
                regressions.Add(new RegressionRow(p.Model, p.Version, r.Model, rule, r.Improvement, r.Permutation.PGreater, r.AdjustedP, p.Margin, JobJson.Serialize(item)));
            }
        }

        return (evidence, regressions);
    }
}
