namespace NflCompute.Kernels.Statistics;

/// <summary>
/// Compensated (Neumaier) sums, so closed-form statistics agree with numpy's pairwise sums to
/// about 1e-15 whatever the summation order.
/// </summary>
internal static class Summation
{
    public static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0, compensation = 0;
        foreach (var v in values)
        {
            var t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        return sum + compensation;
    }

    public static double Mean(ReadOnlySpan<double> values) => Sum(values) / values.Length;

    /// <summary>Sum of (x - mean)^2 and of (x - mean)^3.</summary>
    public static (double Sum2, double Sum3) CentralMoments23(ReadOnlySpan<double> values, double mean)
    {
        var squares = new double[values.Length];
        var cubes = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var u = values[i] - mean;
            squares[i] = u * u;
            cubes[i] = u * u * u;
        }

        return (Sum(squares), Sum(cubes));
    }
}
