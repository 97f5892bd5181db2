using NflCompute.Core.Statistics;
namespace NflCompute.Kernels.Statistics;

/// <summary>A test statistic with its reference distribution's p-values.</summary>
/// <param name="Statistic">The statistic.</param>
/// <param name="DegreesOfFreedom">Student t degrees of freedom, or null for the standard normal.</param>
/// <param name="PTwoSided">Two-sided p.</param>
/// <param name="PGreater">p for E[d] &gt; 0.</param>
/// <param name="PLess">p for E[d] &lt; 0.</param>
public sealed record TestStatistic(double Statistic, double? DegreesOfFreedom, double PTwoSided, double PGreater, double PLess)
{
    /// <summary>The p-value for an alternative.</summary>
    public double PValue(Alternative alternative) => alternative switch
    {
        Alternative.Greater => PGreater,
        Alternative.Less => PLess,
        _ => PTwoSided,
    };

    internal static TestStatistic FromT(double t, double? df)
    {
        // Each tail from its own side, so a small p keeps its digits (StudentTail: about 1e-15 relative).
        double Upper(double x) => df is { } v ? StudentTail.Upper(x, v) : MathNet.Numerics.Distributions.Normal.CDF(0, 1, -x);
        var greater = Upper(t);
        var less = Upper(-t);
        return new TestStatistic(t, df, Math.Min(1, 2 * Math.Min(greater, less)), greater, less);
    }
}
