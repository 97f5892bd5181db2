namespace NflCompute.Kernels.Statistics;

/// <summary>Closed-form paired tests and effect sizes of the mean difference d.</summary>
public static class PairedTests
{
    /// <summary>The paired t-test (scipy.stats.ttest_rel): t = mean(d) / (sd(d) / sqrt(n)), n - 1 df.</summary>
    public static TestStatistic TTest(ReadOnlySpan<double> differences)
    {
        var (mean, sd, n) = Moments(differences);
        return TestStatistic.FromT(mean / (sd / Math.Sqrt(n)), n - 1);
    }

    /// <summary>
    /// Diebold-Mariano for forecasts <paramref name="horizon"/> steps ahead: the long-run variance
    /// of mean(d) from autocovariances up to lag h - 1 (divisor n); with
    /// <paramref name="harveyCorrection"/> (Harvey, Leybourne and Newbold 1997) the statistic is
    /// scaled by sqrt((n + 1 - 2h + h(h - 1)/n) / n) and referred to t with n - 1 df, else to N(0, 1).
    /// For h = 1 with the correction it equals the paired t. NaN when the long-run variance is not
    /// positive (no variation in d), as scipy gives for the t-test.
    /// </summary>
    public static TestStatistic DieboldMariano(ReadOnlySpan<double> differences, int horizon = 1, bool harveyCorrection = true)
    {
        var (mean, _, n) = Moments(differences);
        if (horizon < 1 || horizon >= n)
        {
            throw new StatisticsInputException("horizon", null, $"is {horizon}; it must be in 1..{n - 1}.");
        }

        var longRun = 0.0;
        for (var lag = 0; lag < horizon; lag++)
        {
            var gamma = 0.0;
            for (var i = lag; i < n; i++)
            {
                gamma += (differences[i] - mean) * (differences[i - lag] - mean);
            }

            longRun += (lag == 0 ? 1 : 2) * gamma / n;
        }

        if (!(longRun > 0))
        {
            // No variance to judge the mean by (e.g. a model identical to its baseline): undefined, as in scipy.
            return new TestStatistic(double.NaN, harveyCorrection ? n - 1 : null, double.NaN, double.NaN, double.NaN);
        }

        var dm = mean / Math.Sqrt(longRun / n);
        if (!harveyCorrection)
        {
            return TestStatistic.FromT(dm, null);
        }

        var factor = Math.Sqrt((n + 1 - (2 * horizon) + (horizon * (horizon - 1.0) / n)) / n);
        return TestStatistic.FromT(dm * factor, n - 1);
    }

    /// <summary>Cohen's d_z = mean(d) / sd(d) (ddof 1).</summary>
    public static double CohenDz(ReadOnlySpan<double> differences)
    {
        var (mean, sd, _) = Moments(differences);
        return mean / sd;
    }

    /// <summary>Hedges' g_z = J(n - 1) d_z with the exact J(v) = Gamma(v/2) / (sqrt(v/2) Gamma((v - 1)/2)).</summary>
    public static double HedgesGz(ReadOnlySpan<double> differences) => HedgesJ(differences.Length - 1) * CohenDz(differences);

    /// <summary>Hedges' small-sample correction J for <paramref name="degreesOfFreedom"/>.</summary>
    public static double HedgesJ(int degreesOfFreedom)
    {
        var v = (double)degreesOfFreedom;
        return Math.Exp(MathNet.Numerics.SpecialFunctions.GammaLn(v / 2) - MathNet.Numerics.SpecialFunctions.GammaLn((v - 1) / 2)) / Math.Sqrt(v / 2);
    }

    private static (double Mean, double Sd, int N) Moments(ReadOnlySpan<double> d)
    {
        StatisticsInputException.ThrowIfTooShort(d.Length, 2, "differences");
        StatisticsInputException.ThrowIfNotFinite(d, "differences");
        var mean = 0.0;
        foreach (var v in d)
        {
            mean += v;
        }

        mean /= d.Length;
        var ss = 0.0;
        foreach (var v in d)
        {
            ss += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(ss / (d.Length - 1)), d.Length);
    }
}
