using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Statistics;

/// <summary>
/// Paired sign-flip permutation tests of mean(d) = 0 for one or many models in one launch: exact
/// enumeration of all 2^n sign patterns when that is within the requested resamples (and n &lt;= 30),
/// else Monte Carlo with p = (b + 1)/(B + 1). Ties within scipy's tolerance
/// (max(1e-14, 1e-14 |T|)) count as extreme. Optional blocks (e.g. weeks) flip together.
/// </summary>
public static class PermutationTest
{
    /// <summary>Tests one set of paired differences.</summary>
    public static PermutationResult Run(ComputeBackend backend, ReadOnlySpan<double> differences, long resamples, ulong seed, ulong stream = 0, ReadOnlySpan<int> blocks = default, CancellationToken cancellationToken = default) =>
        RunMany(backend, [differences.ToArray()], resamples, seed, stream, blocks, cancellationToken)[0];

    /// <summary>
    /// Tests many models' differences against their baseline in one launch; every model sees the
    /// same sign patterns (the games are paired across models too).
    /// </summary>
    /// <param name="backend">The device.</param>
    /// <param name="differences">Per model, the n paired differences d = loss_model - loss_baseline (or as the caller defines).</param>
    /// <param name="resamples">Resamples B (at least 1); exact enumeration replaces them when 2^n &lt;= B.</param>
    /// <param name="seed">The task's seed.</param>
    /// <param name="stream">The stream within the task.</param>
    /// <param name="blocks">Optional block of each element (e.g. its week): elements of one block flip together.</param>
    /// <param name="cancellationToken">Stops the resampling between chunks.</param>
    public static PermutationResult[] RunMany(ComputeBackend backend, IReadOnlyList<double[]> differences, long resamples, ulong seed, ulong stream = 0, ReadOnlySpan<int> blocks = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var n = CheckInputs(differences, resamples);

        // Flipping whole blocks is flipping block sums; T stays the mean over the n elements.
        var units = new double[differences.Count][];
        for (var m = 0; m < units.Length; m++)
        {
            units[m] = blocks.IsEmpty ? differences[m] : BlockSums(differences[m], blocks);
        }

        var k = units[0].Length;
        var models = units.Length;
        var exact = k <= 30 && (1L << k) <= resamples;
        var observed = new double[models];
        var thresholds = new double[models * 4];
        for (var m = 0; m < models; m++)
        {
            var total = 0.0;
            foreach (var v in units[m])
            {
                total += v; // in order: the same sum on every run and backend
            }

            observed[m] = total / n;
            Thresholds(observed[m], total, n).CopyTo(thresholds, 4 * m);
        }

        var counts = exact
            ? backend.CountAllSignFlips(new ExactSignFlipJob(ElementMajor(units, v => v), models, k, thresholds), cancellationToken)
            : CountSampled(backend, units, observed, n, resamples, seed, stream, cancellationToken);
        var patterns = exact ? 1L << k : resamples;
        return [.. Enumerable.Range(0, models).Select(m => new PermutationResult(observed[m], exact, patterns, counts[m].GreaterOrEqual, counts[m].LessOrEqual, counts[m].AbsGreaterOrEqual))];
    }

    // The number of elements n; every model's differences must have n finite values, n >= 2.
    private static int CheckInputs(IReadOnlyList<double[]> differences, long resamples)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count == 0)
        {
            throw new StatisticsInputException("differences", null, "has no models.");
        }

        if (resamples < 1)
        {
            throw new StatisticsInputException("resamples", null, $"is {resamples}; at least 1 is needed.");
        }

        var n = differences[0].Length;
        StatisticsInputException.ThrowIfTooShort(n, 2, "differences[0]");
        for (var m = 0; m < differences.Count; m++)
        {
            StatisticsInputException.ThrowIfLengthsDiffer(n, differences[m].Length, $"differences[{m}]", "differences[0]");
            StatisticsInputException.ThrowIfNotFinite(differences[m], $"differences[{m}]");
        }

        return n;
    }

    // Random sign flips on the device, in float32: thresholds are taken against the float32 sum
    // of the same values.
    private static SignFlipCounts[] CountSampled(ComputeBackend backend, double[][] units, double[] observed, int n, long resamples, ulong seed, ulong stream, CancellationToken cancellationToken)
    {
        var (models, k) = (units.Length, units[0].Length);
        var tables = SignFlipJob.BuildTables(ElementMajor(units, v => (float)v), models, k);
        var floatThresholds = new float[models * 4];
        for (var m = 0; m < models; m++)
        {
            var floatTotal = units[m].Sum(v => (double)(float)v);
            var t = Thresholds(observed[m], floatTotal, n);
            for (var j = 0; j < 4; j++)
            {
                floatThresholds[(4 * m) + j] = (float)t[j];
            }
        }

        return backend.CountSignFlips(new SignFlipJob(tables, models, tables.Length / (models * 8), resamples, seed, stream, floatThresholds), cancellationToken);
    }

    // T* = (2 S+ - S) / n, so each comparison of T* becomes one of the kept sum S+.
    private static double[] Thresholds(double observed, double total, int n)
    {
        var gamma = Math.Max(1e-14, 1e-14 * Math.Abs(observed));
        var magnitude = n * (Math.Abs(observed) - gamma);
        return
        [
            ((n * (observed - gamma)) + total) / 2,
            ((n * (observed + gamma)) + total) / 2,
            (total + magnitude) / 2,
            (total - magnitude) / 2,
        ];
    }

    private static T[] ElementMajor<T>(double[][] units, Func<double, T> convert)
    {
        var models = units.Length;
        var k = units[0].Length;
        var values = new T[k * models];
        for (var i = 0; i < k; i++)
        {
            for (var m = 0; m < models; m++)
            {
                values[(i * models) + m] = convert(units[m][i]);
            }
        }

        return values;
    }

    internal static double[] BlockSums(double[] d, ReadOnlySpan<int> blocks) => BlockTotals(d, blocks).Totals;

    /// <summary>Each block's total and size, blocks in order of first appearance.</summary>
    internal static (double[] Totals, double[] Sizes) BlockTotals(double[] d, ReadOnlySpan<int> blocks)
    {
        StatisticsInputException.ThrowIfLengthsDiffer(d.Length, blocks.Length, "blocks", "differences");
        var index = new Dictionary<int, int>();
        var sums = new List<double>();
        var sizes = new List<double>();
        for (var i = 0; i < d.Length; i++)
        {
            if (!index.TryGetValue(blocks[i], out var b))
            {
                index[blocks[i]] = b = sums.Count;
                sums.Add(0);
                sizes.Add(0);
            }

            sums[b] += d[i];
            sizes[b] += 1;
        }

        StatisticsInputException.ThrowIfTooShort(sums.Count, 2, "blocks (distinct)");
        return ([.. sums], [.. sizes]);
    }
}
