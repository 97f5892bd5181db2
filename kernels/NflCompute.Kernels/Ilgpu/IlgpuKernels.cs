using ILGPU;
using ILGPU.Runtime;
using NflCompute.Kernels.DeviceKernels;

namespace NflCompute.Kernels.Ilgpu;

/// <summary>
/// Every kernel, compiled for one accelerator into a typed delegate when the backend opens: a kernel
/// that is not loaded here cannot be launched, and one that does not compile fails the open, naming
/// the kernel and the device.
/// </summary>
internal sealed class IlgpuKernels
{
    public IlgpuKernels(Accelerator accelerator, string device)
    {
        SignFlips = Load(device, nameof(SignFlipKernel), () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<long>, int, int, long, long, ulong, ulong, int>(SignFlipKernel.Count));
        ExactSignFlips = Load(device, nameof(ExactSignFlipKernel), () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<long>, int, int, long, long, int>(ExactSignFlipKernel.Count));
        BootstrapMeans = Load(device, nameof(BootstrapKernel), () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, long, long, ulong, ulong, int>(BootstrapKernel.Means));
        EloSweep = Load(device, nameof(EloSweepKernel), () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int>(EloSweepKernel.Sweep));
        SumSlots = Load(device, nameof(SlotSumKernel), () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<long>, int>(SlotSumKernel.Sum));
        SeasonSim = Load(device, nameof(SeasonSimKernel), () => accelerator.LoadAutoGroupedStreamKernel<Index1D, SeasonSimArgs, ArrayView<uint>, ArrayView<double>, long, long, int>(SeasonSimKernel.Draw));
    }

    /// <summary>The kernel classes this loads, one per algorithm (a test checks it against the DeviceKernels folder).</summary>
    public static IReadOnlyList<Type> Algorithms { get; } =
        [typeof(SignFlipKernel), typeof(ExactSignFlipKernel), typeof(SlotSumKernel), typeof(BootstrapKernel), typeof(EloSweepKernel), typeof(SeasonSimKernel)];

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<long>, int, int, long, long, ulong, ulong, int> SignFlips { get; }

    public Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<long>, int, int, long, long, int> ExactSignFlips { get; }

    public Action<Index1D, ArrayView<long>, ArrayView<long>, int> SumSlots { get; }

    public Action<Index1D, ArrayView<double>, ArrayView<double>, long, long, ulong, ulong, int> BootstrapMeans { get; }

    public Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int> EloSweep { get; }

    public Action<Index1D, SeasonSimArgs, ArrayView<uint>, ArrayView<double>, long, long, int> SeasonSim { get; }

    internal static T Load<T>(string device, string kernel, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new Devices.DeviceException(Devices.DeviceFault.KernelDidNotCompile, device, $"Kernel {kernel} does not compile or load for {device}: {e.GetType().Name}: {e.Message}", e);
        }
    }
}
