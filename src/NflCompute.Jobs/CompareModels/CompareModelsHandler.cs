using NflCompute.Core.Jobs;
using NflCompute.Core.Telemetry;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Jobs.CompareModels;

/// <summary>
/// <c>compare-models</c>: models against a baseline on the statistics engine (permutation test,
/// BCa bootstrap, t, Diebold-Mariano, effect sizes, adjusted p-values), inputs read from Postgres
/// by dataset id.
/// </summary>
public sealed class CompareModelsHandler : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.CompareModels;

    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = Parse(context);
        context.Report(0, "loading datasets");
        var outcomes = await context.Datasets.GetAsync(payload.Outcomes, context.CancellationToken).ConfigureAwait(false);
        var baseline = await context.Datasets.GetAsync(payload.Baseline, context.CancellationToken).ConfigureAwait(false);
        var models = new List<(string, double[])>();
        foreach (var m in payload.Models)
        {
            models.Add((m.Name, await context.Datasets.GetAsync(m.Predictions, context.CancellationToken).ConfigureAwait(false)));
        }

        if (context.Limits.WorkProblem(models.Count, outcomes.Length, payload.PermutationResamples + payload.BootstrapResamples) is { } tooMuch)
        {
            throw new JobInputException(tooMuch);
        }

        using var span = GridTracing.Jobs.StartStep("compare models");
        span?.SetTag("nflc.models", models.Count).SetTag("nflc.games", outcomes.Length)
            .SetTag("nflc.permutation_resamples", payload.PermutationResamples).SetTag("nflc.bootstrap_resamples", payload.BootstrapResamples);
        var results = ModelComparison.Run(context.Device, outcomes, baseline, models, new ModelComparisonOptions
        {
            Rule = payload.Rule,
            PermutationResamples = payload.PermutationResamples,
            BootstrapResamples = payload.BootstrapResamples,
            ConfidenceLevel = payload.ConfidenceLevel,
            Alternative = payload.Alternative,
            Adjustment = payload.Adjustment,
            Seed = payload.Seed,
        }, context.Stage(0.05, 1, $"resampling {models.Count} models"), context.CancellationToken);
        return JobJson.Serialize(new { device = context.Device.Profile.Name, models = results.Select(Summary) });
    }

    internal static CompareModelsSpec Parse(JobContext context)
    {
        var parsed = JobPayload.Parse<CompareModelsSpec>(context, TaskKind);
        return parsed.Models.Count == 0 ? throw new JobInputException("payload.models is empty; name at least one model.") : parsed;
    }

    private static object Summary(ModelComparisonResult r) => new
    {
        model = r.Model,
        meanLoss = r.MeanLoss,
        baselineMeanLoss = r.BaselineMeanLoss,
        improvement = r.Improvement,
        permutation = new { r.Permutation.Exact, r.Permutation.Resamples, pTwoSided = r.Permutation.PTwoSided, pGreater = r.Permutation.PGreater, pLess = r.Permutation.PLess },
        adjustedP = r.AdjustedP,
        bootstrap = new { r.Bootstrap.Level, r.Bootstrap.PercentileLow, r.Bootstrap.PercentileHigh, r.Bootstrap.BcaLow, r.Bootstrap.BcaHigh },
        tTest = new { r.TTest.Statistic, r.TTest.PTwoSided },
        dieboldMariano = new { r.DieboldMariano.Statistic, r.DieboldMariano.PTwoSided },
        cohenDz = r.CohenDz,
        hedgesGz = r.HedgesGz,
    };
}
