using NflCompute.Core.Statistics;
namespace NflCompute.Kernels.Statistics;

/// <summary>A paired sign-flip permutation test of the mean difference.</summary>
/// <param name="Observed">T = mean(d).</param>
/// <param name="Exact">True when every one of the 2^n sign patterns was enumerated.</param>
/// <param name="Resamples">Patterns counted: 2^n when exact, else the Monte Carlo resamples B.</param>
/// <param name="CountGreater">Patterns with T* &gt;= T (within scipy's tie tolerance).</param>
/// <param name="CountLess">Patterns with T* &lt;= T.</param>
/// <param name="CountAbs">Patterns with |T*| &gt;= |T|.</param>
public sealed record PermutationResult(double Observed, bool Exact, long Resamples, long CountGreater, long CountLess, long CountAbs)
{
    /// <summary>p for E[d] &gt; 0: count/2^n exactly, else (b + 1)/(B + 1).</summary>
    public double PGreater => P(CountGreater);

    /// <summary>p for E[d] &lt; 0.</summary>
    public double PLess => P(CountLess);

    /// <summary>Two-sided p by |T|.</summary>
    public double PTwoSided => P(CountAbs);

    /// <summary>The p-value for an alternative.</summary>
    public double PValue(Alternative alternative) => alternative switch
    {
        Alternative.Greater => PGreater,
        Alternative.Less => PLess,
        _ => PTwoSided,
    };

    private double P(long count) => Exact ? (double)count / Resamples : (count + 1.0) / (Resamples + 1.0);
}
