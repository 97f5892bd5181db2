using ILGPU;
using ILGPU.Runtime;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Ilgpu;

namespace Samples.CustomKernel;

/// <summary>One bin of a reliability table.</summary>
/// <param name="Low">The bin's lowest probability.</param>
/// <param name="High">Its highest (exclusive, but for the last).</param>
/// <param name="Games">Games whose prediction fell in it.</param>
/// <param name="Predicted">Their mean prediction.</param>
/// <param name="Observed">Their share of home wins.</param>
public sealed record CalibrationBin(double Low, double High, long Games, double Predicted, double Observed);

/// <summary>
/// A reliability table (predicted against observed home-win rate, per probability bin) on any of
/// the grid's devices: <see cref="CalibrationKernel"/> on an ILGPU device (CUDA, OpenCL, ILGPU's CPU
/// accelerator) through <see cref="IlgpuBackend.Run"/>, or the same integer sums on the host for
/// the SIMD CPU backend. A job handler calls it with its <c>context.Device</c>.
/// </summary>
public static class Calibration
{
    /// <summary>The table of <paramref name="predictions"/> against <paramref name="outcomes"/> in <paramref name="bins"/> equal bins.</summary>
    /// <exception cref="ArgumentException">The two lengths differ, a prediction is outside [0, 1] or NaN, or bins is not positive.</exception>
    public static IReadOnlyList<CalibrationBin> Table(ComputeBackend device, double[] predictions, double[] outcomes, int bins)
    {
        ArgumentNullException.ThrowIfNull(device);
        Check(predictions, outcomes, bins);
        var (counts, wins, sums) = device is IlgpuBackend ilgpu ? OnDevice(ilgpu, predictions, outcomes, bins) : OnHost(predictions, outcomes, bins);
        return [.. Enumerable.Range(0, bins).Select(b => new CalibrationBin(
            (double)b / bins, (double)(b + 1) / bins, counts[b],
            counts[b] == 0 ? double.NaN : sums[b] / CalibrationKernel.Scale / counts[b],
            counts[b] == 0 ? double.NaN : (double)wins[b] / counts[b]))];
    }

    private static (long[] Counts, long[] Wins, long[] Sums) OnDevice(IlgpuBackend device, double[] predictions, double[] outcomes, int bins) =>
        device.Run(nameof(CalibrationKernel), accelerator =>
        {
            // Loaded on first use; ILGPU keeps the compiled kernel for the accelerator's lifetime.
            var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<long>, ArrayView<long>, ArrayView<long>>(CalibrationKernel.Bin);
            using var p = accelerator.Allocate1D(predictions);
            using var y = accelerator.Allocate1D(outcomes);
            using var counts = accelerator.Allocate1D<long>(bins);
            using var wins = accelerator.Allocate1D<long>(bins);
            using var sums = accelerator.Allocate1D<long>(bins);
            counts.MemSetToZero();
            wins.MemSetToZero();
            sums.MemSetToZero();
            kernel(predictions.Length, p.View, y.View, counts.View, wins.View, sums.View);
            accelerator.Synchronize();
            return (counts.GetAsArray1D(), wins.GetAsArray1D(), sums.GetAsArray1D());
        });

    // The kernel's arithmetic, one game at a time: the reference the devices must equal.
    private static (long[] Counts, long[] Wins, long[] Sums) OnHost(double[] predictions, double[] outcomes, int bins)
    {
        var (counts, wins, sums) = (new long[bins], new long[bins], new long[bins]);
        for (var g = 0; g < predictions.Length; g++)
        {
            var bin = Math.Clamp((int)(predictions[g] * bins), 0, bins - 1);
            counts[bin]++;
            wins[bin] += outcomes[g] > 0.5 ? 1 : 0;
            sums[bin] += (long)(predictions[g] * CalibrationKernel.Scale);
        }

        return (counts, wins, sums);
    }

    private static void Check(double[] predictions, double[] outcomes, int bins)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (predictions.Length != outcomes.Length)
        {
            throw new ArgumentException($"predictions has {predictions.Length:N0} values and outcomes {outcomes.Length:N0}; they must be aligned, one per game.", nameof(outcomes));
        }

        for (var g = 0; g < predictions.Length; g++)
        {
            if (!(predictions[g] is >= 0 and <= 1))
            {
                throw new ArgumentException($"predictions[{g}] is {predictions[g]}; a probability is in [0, 1].", nameof(predictions));
            }
        }
    }
}
