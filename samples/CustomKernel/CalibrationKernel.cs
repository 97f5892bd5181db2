using ILGPU;

namespace Samples.CustomKernel;

/// <summary>
/// The device code: one thread per game drops the game into its probability bin. Counts and sums
/// are integers added atomically (the predictions in fixed point, 2^-32 steps), so every device and
/// the CPU get the same table whatever order the threads run in: no floating-point atomics.
/// </summary>
public static class CalibrationKernel
{
    /// <summary>The fixed-point scale of the predictions' sums.</summary>
    public const double Scale = 4294967296.0;

    /// <summary>Game <paramref name="game"/> into bin floor(p * bins): its count, its home win, its prediction.</summary>
    public static void Bin(Index1D game, ArrayView<double> predictions, ArrayView<double> outcomes, ArrayView<long> counts, ArrayView<long> wins, ArrayView<long> predictedSums)
    {
        int bins = (int)counts.Length;
        double p = predictions[game];
        int bin = (int)(p * bins);
        bin = bin < 0 ? 0 : bin >= bins ? bins - 1 : bin;
        Atomic.Add(ref counts[bin], 1L);
        Atomic.Add(ref wins[bin], outcomes[game] > 0.5 ? 1L : 0L);
        Atomic.Add(ref predictedSums[bin], (long)(p * Scale));
    }
}
