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
    /// <param name="blocks">
    /// Optional block of each element (e.g. its week): whole blocks are resampled, and each
    /// resample's mean is its elements' total over their count; the jackknife leaves out one block.
    /// </param>
    /// <param name="cancellationToken">Stops the resampling between chunks.</param>
    public static BootstrapResult Run(ComputeBackend backend, double[] differences, long resamples, double level, ulong seed, ulong stream = 0, int[]? blocks = null, CancellationToken cancellationToken = default)
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
        double[] means;
        double sum2, sum3;
        if (blocks is null)
        {
            means = backend.BootstrapMeans(new BootstrapJob(differences, resamples, seed, stream), cancellationToken);

            // Jackknife of the mean: U_i = (n - 1)(mean of leave-one-out means - leave-one-out mean i)
            // simplifies to d_i - mean(d); compensated sums keep a within 1e-12 of numpy's.
            (sum2, sum3) = Summation.CentralMoments23(differences, theta);
        }
        else
        {
            // The same keys draw the same blocks from block totals and from block sizes.
            var (totals, sizes) = PermutationTest.BlockTotals(differences, blocks);
            var drawnTotals = backend.BootstrapMeans(new BootstrapJob(totals, resamples, seed, stream), cancellationToken);
            var drawnSizes = backend.BootstrapMeans(new BootstrapJob(sizes, resamples, seed, stream), cancellationToken);
            means = new double[resamples];
            for (var r = 0; r < means.Length; r++)
            {
                means[r] = drawnTotals[r] / drawnSizes[r];
            }

            (sum2, sum3) = BlockJackknife(totals, sizes);
        }

        Array.Sort(means);

        var alpha = (1 - level) / 2;
        var below = LowerBound(means, theta, strict: true);
        var atOrBelow = LowerBound(means, theta, strict: false);
        var z0 = Normal.InvCDF(0, 1, (below + atOrBelow) / (2.0 * means.Length));

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

    // Leave one block out: theta_b = (S - s_b) / (N - n_b), U_b = (k - 1)(mean(theta) - theta_b).
    private static (double Sum2, double Sum3) BlockJackknife(double[] totals, double[] sizes)
    {
        var k = totals.Length;
        var total = Summation.Sum(totals);
        var count = Summation.Sum(sizes);
        var leaveOut = new double[k];
        for (var b = 0; b < k; b++)
        {
            leaveOut[b] = (total - totals[b]) / (count - sizes[b]);
        }

        var center = Summation.Mean(leaveOut);
        var u = leaveOut.Select(t => (k - 1) * (center - t)).ToArray();
        return Summation.CentralMoments23(u, 0);
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
