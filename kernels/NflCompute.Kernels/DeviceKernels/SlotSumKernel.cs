using ILGPU;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// Adds up the per-thread count slots of <see cref="SignFlipKernel"/> and
/// <see cref="ExactSignFlipKernel"/> on the device, so a launch copies back one count per model
/// and direction instead of one per thread: slots are laid out [lane][model][3], and thread i of
/// this kernel sums column i of that table (integer adds: the same total in any order).
/// </summary>
public static class SlotSumKernel
{
    /// <summary>The kernel: <c>totals[i] = sum over lanes x of slots[x * width + i]</c>, width = models * 3.</summary>
    public static void Sum(Index1D index, ArrayView<long> slots, ArrayView<long> totals, int lanes)
    {
        int width = (int)totals.Length;
        long sum = 0;
        for (int x = 0; x < lanes; x++)
        {
            sum += slots[((long)x * width) + index];
        }

        totals[index] = sum;
    }
}
