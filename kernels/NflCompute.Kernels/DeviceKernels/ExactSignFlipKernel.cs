using ILGPU;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// Exact enumeration of all 2^n sign patterns (<see cref="Devices.ExactSignFlipJob"/>): pattern p
/// keeps element i when bit i of p is set, summed in double in element order (adds only).
/// </summary>
/// <remarks>Threads, chunks and slots are laid out as in <see cref="SignFlipKernel"/>, over patterns [first, end) instead of resamples.</remarks>
public static class ExactSignFlipKernel
{
    /// <summary>The kernel.</summary>
    public static void Count(
        Index1D index,
        ArrayView<double> values,
        ArrayView<double> thresholds,
        ArrayView<long> slots,
        int models,
        int length,
        long first,
        long end,
        int lanes)
    {
        int m = index / lanes;
        int x = index - (m * lanes);
        long greater = 0, less = 0, extreme = 0;
        for (long p = first + x; p < end; p += lanes)
        {
            double sum = 0.0;
            for (int i = 0; i < length; i++)
            {
                if (((p >> i) & 1) != 0)
                {
                    sum += values[((long)i * models) + m];
                }
            }

            greater += sum >= thresholds[4 * m] ? 1 : 0;
            less += sum <= thresholds[(4 * m) + 1] ? 1 : 0;
            extreme += (sum >= thresholds[(4 * m) + 2]) | (sum <= thresholds[(4 * m) + 3]) ? 1 : 0;
        }

        long slot = (((long)x * models) + m) * 3;
        slots[slot] += greater;
        slots[slot + 1] += less;
        slots[slot + 2] += extreme;
    }
}
