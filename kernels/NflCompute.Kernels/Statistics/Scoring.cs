using NflCompute.Core.Statistics;
namespace NflCompute.Kernels.Statistics;

/// <summary>Per-example losses under a <see cref="ScoringRule"/>.</summary>
public static class Scoring
{
    /// <summary>
    /// The log-loss clipping of scikit-learn before 1.2: p is clipped to [1e-15, 1 - 1e-15], and the
    /// log is taken of (1 - clipped p), so a confident miss costs 34.539575992... (not -ln 1e-15).
    /// scikit-learn 1.2 and later clip at machine epsilon (2.220446049250313e-16); pass that to match.
    /// </summary>
    public const double DefaultLogLossEpsilon = 1e-15;

    /// <summary>The loss of each prediction.</summary>
    /// <param name="rule">The scoring rule.</param>
    /// <param name="outcomes">What happened: 0 or 1 for Brier and log loss, any number otherwise.</param>
    /// <param name="predictions">Probabilities in [0, 1] for Brier and log loss, any number otherwise.</param>
    /// <param name="logLossEpsilon">The clipping of <see cref="ScoringRule.LogLoss"/>; 0 disables it.</param>
    /// <exception cref="StatisticsInputException">A value is NaN or infinite, a probability is outside [0, 1], an outcome is not 0 or 1, or the lengths differ.</exception>
    public static double[] Losses(ScoringRule rule, ReadOnlySpan<double> outcomes, ReadOnlySpan<double> predictions, double logLossEpsilon = DefaultLogLossEpsilon)
    {
        StatisticsInputException.ThrowIfLengthsDiffer(outcomes.Length, predictions.Length, "predictions", "outcomes");
        StatisticsInputException.ThrowIfNotFinite(outcomes, "outcomes");
        StatisticsInputException.ThrowIfNotFinite(predictions, "predictions");
        var probabilistic = rule is ScoringRule.Brier or ScoringRule.LogLoss;
        var losses = new double[outcomes.Length];
        for (var i = 0; i < losses.Length; i++)
        {
            double y = outcomes[i], p = predictions[i];
            if (probabilistic)
            {
                if (y is not (0 or 1))
                {
                    throw new StatisticsInputException("outcomes", i, $"is {y}; {rule} needs outcomes of 0 or 1.");
                }

                if (p is < 0 or > 1)
                {
                    throw new StatisticsInputException("predictions", i, $"is {p}; {rule} needs probabilities in [0, 1].");
                }
            }

            losses[i] = rule switch
            {
                ScoringRule.Brier => (p - y) * (p - y),
                ScoringRule.LogLoss => LogLoss(y, p, logLossEpsilon),
                ScoringRule.AbsoluteError => Math.Abs(p - y),
                ScoringRule.SquaredError => (p - y) * (p - y),
                _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown scoring rule."),
            };
        }

        return losses;
    }

    private static double LogLoss(double y, double p, double eps)
    {
        // One branch per outcome, so a sure and right prediction costs 0 even unclipped (0 * ln 0 is NaN).
        var clipped = Math.Clamp(p, eps, 1 - eps);
        return y == 1 ? -Math.Log(clipped) : -Math.Log(1 - clipped);
    }
}
