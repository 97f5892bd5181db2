using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Ilgpu;

/// <summary>
/// The devices ILGPU reaches here: CUDA GPUs ("cuda:N"), OpenCL GPUs with the generic address
/// space ("opencl:N"; ILGPU refuses the others, PoCL among them) and its CPU accelerator
/// ("ilgpu-cpu"). Each backend opens a context of its own with only its device's kind in it.
/// </summary>
internal static class IlgpuDevices
{
    /// <summary>The id of ILGPU's CPU accelerator.</summary>
    public const string CpuId = "ilgpu-cpu";

    /// <summary>The CPU accelerator's shape: one multiprocessor per core, 4 warps of 4 threads each.</summary>
    public static CPUDevice CpuDevice { get; } = new(numThreadsPerWarp: 4, numWarpsPerMultiprocessor: 4, numMultiprocessors: Environment.ProcessorCount);

    /// <summary>Every ILGPU device present: CUDA first, then OpenCL, then the CPU accelerator.</summary>
    public static IReadOnlyList<DeviceEntry> Discover()
    {
        NativeLibraries.Install();
        var entries = new List<DeviceEntry>();
        using var context = CreateContext(BackendKind.Cuda, BackendKind.OpenCl);
        var cuda = context.GetCudaDevices();
        for (var i = 0; i < cuda.Count; i++)
        {
            var (id, ordinal) = ($"cuda:{i}", i);
            entries.Add(new(id, Profile(cuda[i]), () => new IlgpuBackend(id, BackendKind.Cuda, ordinal)));
        }

        var opencl = context.GetCLDevices();
        for (var i = 0; i < opencl.Count; i++)
        {
            var (id, ordinal) = ($"opencl:{i}", i);
            entries.Add(new(id, Profile(opencl[i]), () => new IlgpuBackend(id, BackendKind.OpenCl, ordinal)));
        }

        entries.Add(new(CpuId, Profile(CpuDevice), () => new IlgpuBackend(CpuId, BackendKind.IlgpuCpu, 0)));
        return entries;
    }

    /// <summary>A context with the accelerators of the given kinds and ILGPU.Algorithms' math.</summary>
    public static Context CreateContext(params BackendKind[] kinds)
    {
        NativeLibraries.Install();
        return Context.Create(builder =>
        {
            foreach (var kind in kinds)
            {
                _ = kind switch
                {
                    BackendKind.Cuda => builder.Cuda(),
                    BackendKind.OpenCl => builder.OpenCL(),
                    BackendKind.IlgpuCpu => builder.CPU(CpuDevice),
                    _ => throw new ArgumentOutOfRangeException(nameof(kinds), kind, "Not an ILGPU accelerator."),
                };
            }

            builder.EnableAlgorithms().Optimize(OptimizationLevel.O2);
        });
    }

    /// <summary>The device of <paramref name="kind"/> number <paramref name="ordinal"/> in the context.</summary>
    public static Device Find(Context context, BackendKind kind, int ordinal) => kind switch
    {
        BackendKind.Cuda => context.GetCudaDevice(ordinal),
        BackendKind.OpenCl => context.GetCLDevice(ordinal),
        _ => context.GetCPUDevice(ordinal),
    };

    /// <summary>What a worker registers of an ILGPU device.</summary>
    public static HardwareProfile Profile(Device device) => device switch
    {
        CudaDevice cuda => new HardwareProfile
        {
            Backend = BackendKind.Cuda,
            Name = cuda.Name,
            Vendor = "NVIDIA",
            GlobalMemoryBytes = cuda.MemorySize,
            ComputeUnits = cuda.NumMultiprocessors,
            ClockMHz = cuda.ClockRate / 1000,
            IsGpu = true,
            SupportsDouble = true,
            SimdWidth = cuda.WarpSize,
        },
        CLDevice cl => new HardwareProfile
        {
            Backend = BackendKind.OpenCl,
            Name = cl.Name,
            Vendor = cl.VendorName,
            GlobalMemoryBytes = cl.MemorySize,
            ComputeUnits = cl.NumMultiprocessors,
            ClockMHz = cl.ClockRate,
            IsGpu = cl.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU,
            SupportsDouble = ((CLCapabilityContext)cl.Capabilities).Float64,
            SimdWidth = cl.WarpSize,
        },
        _ => new HardwareProfile
        {
            Backend = BackendKind.IlgpuCpu,
            Name = $"ILGPU CPU accelerator on {Cpu.CpuSimdBackend.Device.Name}",
            Vendor = "ILGPU",
            GlobalMemoryBytes = Cpu.CpuSimdBackend.Device.GlobalMemoryBytes,
            ComputeUnits = device.NumMultiprocessors,
            SupportsDouble = true,
            SimdWidth = device.WarpSize,
        },
    };
}
