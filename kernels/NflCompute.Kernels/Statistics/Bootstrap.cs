using MathNet.Numerics.Distributions;
using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Statistics;

/// <summary>
/// Paired bootstrap of mean(d): the means come from the device; the percentile and BCa intervals
/// follow scipy 1.10 (<c>scipy.stats.bootstrap</c>): linear interpolation between order
/// statistics, z0 = Phi^-1((#&lt; theta + #&lt;= theta) / 2B), jackknife acceleration.
/// </summary>
public static class Bootstrap
{
    /// <summary>Bootstraps the mean of <paramref name="differences"/>.</summary>
    /// <param name="backend">The device.</param>
    /// <param name="differences">The n paired differences.</param>
    /// <param name="resamples">Resamples B (at least 1).</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <param name="seed">The task's seed.</param>
    /// <param name="stream">The stream within the task.</param>
    public static BootstrapResult Run(ComputeBackend backend, double[] differences, long resamples, double level, ulong seed, ulong stream = 0)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(differences);
        StatisticsInputException.ThrowIfTooShort(differences.Length, 2, "differences");
        StatisticsInputException.ThrowIfNotFinite(differences, "differences");
        if (resamples < 1)
        {
            throw new StatisticsInputException("resamples", null, $"is {resamples}; at least 1 is needed.");
        }

        if (!(level > 0 && level < 1))
        {
            throw new StatisticsInputException("level", null, $"is {level}; a confidence level is in (0, 1).");
        }

        var theta = Summation.Mean(differences);
        var means = backend.BootstrapMeans(new BootstrapJob(differences, resamples, seed, stream));
        Array.Sort(means);

        var alpha = (1 - level) / 2;
        var below = LowerBound(means, theta, strict: true);
        var atOrBelow = LowerBound(means, theta, strict: false);
        var z0 = Normal.InvCDF(0, 1, (below + atOrBelow) / (2.0 * means.Length));

        // Jackknife of the mean: U_i = (n - 1)(mean of leave-one-out means - leave-one-out mean i)
        // simplifies to d_i - mean(d); compensated sums keep a within 1e-12 of numpy's.
        var mean = Summation.Mean(differences);
        var (sum2, sum3) = Summation.CentralMoments23(differences, mean);
        var a = sum3 / (6 * Math.Pow(sum2, 1.5));
        double Adjusted(double z) => Normal.CDF(0, 1, z0 + ((z0 + z) / (1 - (a * (z0 + z)))));
        var zLow = Normal.InvCDF(0, 1, alpha);
        var zHigh = Normal.InvCDF(0, 1, 1 - alpha);

        return new BootstrapResult(
            theta,
            level,
            resamples,
            Percentile(means, alpha),
            Percentile(means, 1 - alpha),
            Percentile(means, Adjusted(zLow)),
            Percentile(means, Adjusted(zHigh)),
            z0,
            a,
            StandardDeviation(means));
    }

    // numpy's default percentile: linear interpolation at position q (B - 1).
    internal static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private static int LowerBound(double[] sorted, double value, bool strict)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (strict ? sorted[mid] < value : sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        var ss = 0.0;
        foreach (var v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        return Math.Sqrt(ss / (values.Length - 1));
    }
}
