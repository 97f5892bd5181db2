using ILGPU;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// Monte Carlo sign-flip counts, the canonical triple-table algorithm of
/// <see cref="Devices.SignFlipJob"/>, many models in one launch.
/// </summary>
/// <remarks>
/// A launch covers resamples [first, end) (the host launches chunks, checking for a cancel between
/// them). Thread <c>index = m * lanes + x</c> counts model m's resamples first + x, + lanes, ...:
/// neighbouring threads share a model, so a warp reads one 32-byte table entry per triple. Each
/// resample adds its table entries in triple order in float32 (adds only, so no contraction into
/// FMA can change a sum) and compares with the float32 thresholds. Counts go to the thread's own
/// slots <c>(x * models + m) * 3</c>, adding to what earlier chunks left there, which
/// <see cref="SlotSumKernel"/> adds up on the device at the end:
/// no atomics, the same totals in any order.
/// </remarks>
public static class SignFlipKernel
{
    /// <summary>The kernel.</summary>
    public static void Count(
        Index1D index,
        ArrayView<float> tables,
        ArrayView<float> thresholds,
        ArrayView<long> slots,
        int models,
        int triples,
        long first,
        long end,
        ulong seed,
        ulong stream,
        int lanes)
    {
        int m = index / lanes;
        int x = index - (m * lanes);
        float atLeast = thresholds[4 * m];
        float atMost = thresholds[(4 * m) + 1];
        float high = thresholds[(4 * m) + 2];
        float low = thresholds[(4 * m) + 3];
        long greater = 0, less = 0, extreme = 0;
        for (long r = first + x; r < end; r += lanes)
        {
            var (k1, k2) = CounterRng.Keys(seed, stream, (ulong)r);
            float sum = 0f;
            for (int block = 0; block * 10 < triples; block++)
            {
                uint word = CounterRng.Word(k1, k2, (uint)block);
                for (int t = 0; t < 10; t++)
                {
                    uint v = (word >> (27 - (3 * t))) & 7u;
                    sum += tables[((((long)(block * 10) + t) * models) + m) * 8 + v];
                }
            }

            greater += sum >= atLeast ? 1 : 0;
            less += sum <= atMost ? 1 : 0;
            extreme += (sum >= high) | (sum <= low) ? 1 : 0;
        }

        long slot = (((long)x * models) + m) * 3;
        slots[slot] += greater;
        slots[slot + 1] += less;
        slots[slot + 2] += extreme;
    }
}
