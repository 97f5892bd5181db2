using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Statistics;

/// <summary>
/// Compares many models with one baseline on the same games: losses under one scoring rule, one
/// permutation launch for all models (the same sign patterns for every model), a bootstrap per
/// model on its own stream, the closed-form tests, and permutation p-values adjusted across models.
/// </summary>
public static class ModelComparison
{
    /// <summary>Runs the comparison.</summary>
    /// <param name="backend">The device.</param>
    /// <param name="outcomes">What happened, per game.</param>
    /// <param name="baseline">The baseline's predictions, per game.</param>
    /// <param name="models">Each model's name and predictions, per game.</param>
    /// <param name="options">Rule, resamples, alternative, adjustment and seed.</param>
    /// <param name="progress">Told the share of the resampling done (0 to 1): after the permutation test, then after each model's bootstrap, weighted by resamples.</param>
    /// <param name="cancellationToken">Stops the resampling between chunks.</param>
    /// <exception cref="StatisticsInputException">An input is invalid; the message names it (e.g. <c>models["elo"][17]</c>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static IReadOnlyList<ModelComparisonResult> Run(
        ComputeBackend backend,
        double[] outcomes,
        double[] baseline,
        IReadOnlyList<(string Name, double[] Predictions)> models,
        ModelComparisonOptions? options = null,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(models);
        options ??= new ModelComparisonOptions();
        if (models.Count == 0)
        {
            throw new StatisticsInputException("models", null, "is empty; compare at least one model with the baseline.");
        }

        var baselineLosses = Named("baseline", () => Scoring.Losses(options.Rule, outcomes, baseline, options.LogLossEpsilon));
        var modelLosses = models.Select(m => Named($"models[\"{m.Name}\"]", () => Scoring.Losses(options.Rule, outcomes, m.Predictions, options.LogLossEpsilon))).ToArray();
        var differences = modelLosses.Select(l => baselineLosses.Zip(l, (b, x) => b - x).ToArray()).ToArray();

        var permutations = PermutationTest.RunMany(backend, differences, options.PermutationResamples, options.Seed, stream: 0, options.Blocks, cancellationToken);
        // The work is the resamples: all models' permutations at once, then one bootstrap per model.
        var work = (double)options.PermutationResamples + options.BootstrapResamples;
        progress?.Report(work == 0 ? 0 : options.PermutationResamples / work);
        var adjusted = MultipleComparisons.Adjust(permutations.Select(p => p.PValue(options.Alternative)).ToArray(), options.Adjustment);
        var baselineMean = Summation.Mean(baselineLosses);
        var results = new ModelComparisonResult[models.Count];
        for (var m = 0; m < results.Length; m++)
        {
            var d = differences[m];
            results[m] = new ModelComparisonResult(
                models[m].Name,
                Summation.Mean(modelLosses[m]),
                baselineMean,
                permutations[m],
                adjusted[m],
                Bootstrap.Run(backend, d, options.BootstrapResamples, options.ConfidenceLevel, options.Seed, stream: 1 + (ulong)m, options.Blocks, cancellationToken),
                PairedTests.TTest(d),
                PairedTests.DieboldMariano(d, options.Horizon),
                PairedTests.CohenDz(d),
                PairedTests.HedgesGz(d));
            progress?.Report(work == 0 ? 1 : (options.PermutationResamples + (options.BootstrapResamples * (m + 1.0) / results.Length)) / work);
        }

        return results;
    }

    // Scoring errors name the predictions generically; say whose they are.
    private static double[] Named(string who, Func<double[]> score)
    {
        try
        {
            return score();
        }
        catch (StatisticsInputException e) when (e.Input == "predictions")
        {
            throw new StatisticsInputException(who, e.Index, e.Problem);
        }
    }
}
