using NflCompute.Core.Statistics;
namespace NflCompute.Kernels.Statistics;

/// <summary>Adjusted p-values, as R's p.adjust: each at least its raw p, monotone in the raw order.</summary>
public static class MultipleComparisons
{
    /// <summary>
    /// Adjusts <paramref name="p"/>. The running max (Holm) or min (BH, BY) over the sorted p-values
    /// gives tied p-values identical adjusted values, whatever their order.
    /// </summary>
    /// <exception cref="StatisticsInputException">A p-value is NaN or outside [0, 1].</exception>
    public static double[] Adjust(ReadOnlySpan<double> p, Adjustment method)
    {
        for (var i = 0; i < p.Length; i++)
        {
            if (!(p[i] >= 0 && p[i] <= 1))
            {
                throw new StatisticsInputException("p", i, $"is {p[i]}; a p-value is in [0, 1].");
            }
        }

        var m = p.Length;
        var pv = p.ToArray();
        var order = Enumerable.Range(0, m).OrderBy(i => pv[i]).ToArray(); // stable
        var adjusted = new double[m];
        switch (method)
        {
            case Adjustment.None:
                return pv;
            case Adjustment.Bonferroni:
                return pv.Select(x => Math.Min(1, m * x)).ToArray();
            case Adjustment.Holm:
            {
                var running = 0.0;
                for (var rank = 0; rank < m; rank++)
                {
                    running = Math.Max(running, Math.Min(1, (m - rank) * pv[order[rank]]));
                    adjusted[order[rank]] = running;
                }

                break;
            }

            case Adjustment.BenjaminiHochberg:
            case Adjustment.BenjaminiYekutieli:
            {
                var c = 1.0;
                if (method == Adjustment.BenjaminiYekutieli)
                {
                    c = 0;
                    for (var i = 1; i <= m; i++)
                    {
                        c += 1.0 / i;
                    }
                }

                var running = 1.0;
                for (var rank = m - 1; rank >= 0; rank--)
                {
                    // R's order of operations, (c m / i) p: for the largest p the factor is exactly 1 (BH).
                    running = Math.Min(running, Math.Min(1, c * m / (rank + 1) * pv[order[rank]]));
                    adjusted[order[rank]] = running;
                }

                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown adjustment.");
        }

        return adjusted;
    }
}
