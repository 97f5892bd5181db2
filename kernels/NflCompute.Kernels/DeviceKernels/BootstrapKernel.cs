using ILGPU;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// Bootstrap means in the canonical draw order of <see cref="Devices.BootstrapJob"/>: resample r
/// draws element <c>Below(DrawWord(r, j), n)</c> for j = 0..n-1 and sums the draws in double in
/// that order (adds only), so every backend returns the same means.
/// </summary>
public static class BootstrapKernel
{
    /// <summary>The kernel: thread <c>index</c> takes resamples first + index, + stride, ... below end (one chunk of the host's).</summary>
    public static void Means(
        Index1D index,
        ArrayView<double> values,
        ArrayView<double> means,
        long first,
        long end,
        ulong seed,
        ulong stream,
        int stride)
    {
        int n = (int)values.Length;
        for (long r = first + index; r < end; r += stride)
        {
            var (k1, k2) = CounterRng.Keys(seed, stream, (ulong)r);
            double sum = 0.0;
            for (int j = 0; j < n; j++)
            {
                sum += values[CounterRng.Below(CounterRng.DrawWord(k1, k2, (uint)j), n)];
            }

            means[r] = sum / n;
        }
    }
}
