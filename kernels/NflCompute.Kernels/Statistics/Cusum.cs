namespace NflCompute.Kernels.Statistics;

/// <summary>
/// One-sided upper tabular CUSUM for regression monitoring (higher metric = worse):
/// z_t = (x_t - mu0) / sigma0, S_0 = 0, S_t = max(0, S_{t-1} + z_t - k), alarm at the first t with S_t &gt; h.
/// </summary>
public static class Cusum
{
    /// <summary>The CUSUM path and the first alarm (0-based), or null when it never alarms.</summary>
    public static (double[] Path, int? FirstAlarm) Upper(ReadOnlySpan<double> x, double mu0, double sigma0, double k, double h)
    {
        StatisticsInputException.ThrowIfNotFinite(x, "x");
        if (!(sigma0 > 0))
        {
            throw new StatisticsInputException("sigma0", null, $"is {sigma0}; it must be positive.");
        }

        var path = new double[x.Length];
        int? alarm = null;
        var s = 0.0;
        for (var t = 0; t < x.Length; t++)
        {
            s = Math.Max(0, s + ((x[t] - mu0) / sigma0) - k);
            path[t] = s;
            if (alarm is null && s > h)
            {
                alarm = t;
            }
        }

        return (path, alarm);
    }
}
