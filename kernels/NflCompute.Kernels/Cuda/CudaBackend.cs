using System.Runtime.InteropServices;
using System.Text;
using NflCompute.Kernels.Devices;
using static NflCompute.Kernels.Cuda.CudaNative;

namespace NflCompute.Kernels.Cuda;

/// <summary>
/// Runs the statistics kernels on an NVIDIA GPU: the same kernels/cl source as OpenCL, compiled by
/// NVRTC for the device's architecture (with FMA contraction off, so sums are the canonical IEEE
/// adds) and launched through the driver API on the device's primary context.
/// </summary>
public sealed unsafe class CudaBackend : ComputeBackend
{
    private const uint BlockSize = 256;
    private readonly CudaDevice _device;
    private readonly nint _context;
    private readonly nint _module;
    private readonly Dictionary<string, nint> _functions = [];
    private readonly Lock _gate = new();

    /// <summary>Retains the device's primary context and compiles the kernels for it.</summary>
    /// <exception cref="CudaException">A call failed; for a compile failure the message holds NVRTC's log.</exception>
    public CudaBackend(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var api = Functions ?? throw new InvalidOperationException("CUDA is not installed here (libcuda.so.1 and libnvrtc were not found).");
        _device = device;
        nint context;
        Check(api.cuDevicePrimaryCtxRetain(&context, device.Ordinal), "cuDevicePrimaryCtxRetain");
        _context = context;
        Check(api.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        var ptx = Compile(api, KernelSources.All, device.ComputeCapability);
        nint module;
        fixed (byte* p = ptx)
        {
            Check(api.cuModuleLoadData(&module, p), "cuModuleLoadData");
        }

        _module = module;
        foreach (var name in new[] { "sign_flip_counts", "sign_flip_exact", "bootstrap_means" })
        {
            nint function;
            fixed (byte* n = Utf8Z(name))
            {
                Check(api.cuModuleGetFunction(&function, module, n), $"cuModuleGetFunction({name})");
            }

            _functions[name] = function;
        }
    }

    /// <inheritdoc />
    public override HardwareProfile Profile => _device.Profile;

    /// <summary>Every CUDA device; empty when there is no driver, no NVRTC or no device.</summary>
    public static IReadOnlyList<CudaDevice> Discover()
    {
        if (Functions is not { } api || api.cuInit(0) != 0)
        {
            return [];
        }

        int count;
        if (api.cuDeviceGetCount(&count) != 0)
        {
            return [];
        }

        var devices = new List<CudaDevice>();
        var name = stackalloc byte[256];
        for (var ordinal = 0; ordinal < count; ordinal++)
        {
            int handle;
            Check(api.cuDeviceGet(&handle, ordinal), "cuDeviceGet");
            var device = handle;
            Check(api.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
            nuint memory;
            Check(api.cuDeviceTotalMem(&memory, device), "cuDeviceTotalMem");
            int Attribute(int attribute) => DeviceAttribute(api, device, attribute);

            devices.Add(new CudaDevice(ordinal, (Attribute(AttributeComputeCapabilityMajor), Attribute(AttributeComputeCapabilityMinor)), new HardwareProfile
            {
                Backend = BackendKind.Cuda,
                Name = Marshal.PtrToStringUTF8((nint)name) ?? "cuda",
                Vendor = "NVIDIA",
                GlobalMemoryBytes = (long)memory,
                ComputeUnits = Attribute(AttributeMultiprocessorCount),
                ClockMHz = Attribute(AttributeClockRateKHz) / 1000,
                SupportsDouble = true,
                SimdWidth = Attribute(AttributeWarpSize),
                IsGpu = true,
            }));
        }

        return devices;
    }

    private static int DeviceAttribute(Api api, int device, int attribute)
    {
        int value;
        Check(api.cuDeviceGetAttribute(&value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }

    /// <inheritdoc />
    public override SignFlipCounts[] CountSignFlips(SignFlipJob job)
    {
        var items = Threads(job.Resamples);
        var counts = new long[items * job.Models * 3];
        Run("sign_flip_counts", items, counts, [job.Tables, job.Thresholds],
            [Arg.Input(0), Arg.Int(job.Models), Arg.Int(job.Triples), Arg.Long((ulong)job.Resamples), Arg.Long(job.Seed), Arg.Long(job.Stream), Arg.Input(1), Arg.Output]);
        return SignFlipCounts.FromSlots(counts, job.Models);
    }

    /// <inheritdoc />
    public override SignFlipCounts[] CountAllSignFlips(ExactSignFlipJob job)
    {
        var items = Threads(1L << job.Length);
        var counts = new long[items * job.Models * 3];
        Run("sign_flip_exact", items, counts, [job.Values, job.Thresholds],
            [Arg.Input(0), Arg.Int(job.Models), Arg.Int(job.Length), Arg.Input(1), Arg.Output]);
        return SignFlipCounts.FromSlots(counts, job.Models);
    }

    /// <inheritdoc />
    public override double[] BootstrapMeans(BootstrapJob job)
    {
        var means = new double[job.Resamples];
        Run("bootstrap_means", Threads(job.Resamples), means, [job.Values],
            [Arg.Input(0), Arg.Int(job.Values.Length), Arg.Long((ulong)job.Resamples), Arg.Long(job.Seed), Arg.Long(job.Stream), Arg.Output]);
        return means;
    }

    /// <inheritdoc />
    public override Nfl.EloScore[] SweepElo(Nfl.EloSweepJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sums = new double[job.Parameters.Length * 3];
        var s = job.Schedule;
        Run("elo_sweep", Threads(job.Parameters.Length), sums, [s.Home, s.Away, job.Flags, s.Outcome, s.Margin, s.Seeds, job.Packed],
            [Arg.Input(0), Arg.Input(1), Arg.Input(2), Arg.Input(3), Arg.Input(4), Arg.Int(s.Games), Arg.Input(5), Arg.Int(s.Teams), Arg.Input(6), Arg.Int(job.Parameters.Length), Arg.Output]);
        return job.Scores(sums);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (Functions is { } api && _module != 0)
        {
            api.cuCtxSetCurrent(_context);
            api.cuModuleUnload(_module);
            api.cuDevicePrimaryCtxRelease(_device.Ordinal);
        }
    }

    // One launch: inputs copied in, the output copied back, all device memory freed.
    private void Run<TOut>(string kernel, long threads, TOut[] output, Array[] inputs, Arg[] arguments)
        where TOut : unmanaged
    {
        var api = Functions!;
        lock (_gate)
        {
            Check(api.cuCtxSetCurrent(_context), "cuCtxSetCurrent");
            var buffers = new List<ulong>();
            try
            {
                var inputPointers = new ulong[inputs.Length];
                for (var i = 0; i < inputs.Length; i++)
                {
                    var handle = GCHandle.Alloc(inputs[i], GCHandleType.Pinned);
                    try
                    {
                        var bytes = (nuint)Buffer.ByteLength(inputs[i]);
                        inputPointers[i] = Allocate(api, Math.Max(bytes, 1), buffers);
                        Check(api.cuMemcpyHtoD(inputPointers[i], (void*)handle.AddrOfPinnedObject(), bytes), "cuMemcpyHtoD");
                    }
                    finally
                    {
                        handle.Free();
                    }
                }

                var outputBytes = (nuint)(output.Length * sizeof(TOut));
                var outputPointer = Allocate(api, Math.Max(outputBytes, 1), buffers);

                // cuLaunchKernel takes a pointer to each argument's value: one 8-byte slot each.
                var values = stackalloc ulong[arguments.Length];
                var pointers = stackalloc void*[arguments.Length];
                for (var i = 0; i < arguments.Length; i++)
                {
                    var a = arguments[i];
                    values[i] = a.IsOutput ? outputPointer : a.InputIndex >= 0 ? inputPointers[a.InputIndex] : a.Value;
                    pointers[i] = &values[i];
                }

                var blocks = (uint)((threads + BlockSize - 1) / BlockSize);
                Check(api.cuLaunchKernel(_functions[kernel], blocks, 1, 1, BlockSize, 1, 1, 0, 0, pointers, null), $"cuLaunchKernel({kernel})");

                Check(api.cuCtxSynchronize(), $"cuCtxSynchronize({kernel})");
                fixed (TOut* o = output)
                {
                    Check(api.cuMemcpyDtoH(o, outputPointer, outputBytes), "cuMemcpyDtoH");
                }
            }
            finally
            {
                buffers.ForEach(b => api.cuMemFree(b));
            }
        }
    }

    // A kernel argument: a scalar (ints take the low 4 bytes of the little-endian slot), an input's device pointer, or the output's.
    private readonly record struct Arg(ulong Value, int InputIndex = -1, bool IsOutput = false)
    {
        public static Arg Output { get; } = new(0, IsOutput: true);

        public static Arg Int(int value) => new((uint)value);

        public static Arg Long(ulong value) => new(value);

        public static Arg Input(int index) => new(0, index);
    }

    private static ulong Allocate(Api api, nuint bytes, List<ulong> owned)
    {
        ulong pointer;
        Check(api.cuMemAlloc(&pointer, bytes), "cuMemAlloc");
        owned.Add(pointer);
        return pointer;
    }

    // Whole blocks, enough to fill every SM; kernels stride over the rest.
    private long Threads(long work) =>
        (Math.Clamp(work, 1, (long)Profile.ComputeUnits * 2048) + BlockSize - 1) / BlockSize * BlockSize;

    private static byte[] Compile(Api api, string source, (int Major, int Minor) capability)
    {
        nint program;
        fixed (byte* s = Utf8Z(source))
        fixed (byte* name = Utf8Z("statistics.cu"))
        {
            Check(api.nvrtcCreateProgram(&program, s, name, 0, null, null), "nvrtcCreateProgram");
        }

        try
        {
            // FMA contraction off: sums stay the canonical IEEE adds of every backend.
            var options = new[] { $"--gpu-architecture=compute_{capability.Major}{capability.Minor}", "--fmad=false" }.Select(Utf8Z).ToArray();
            var handles = options.Select(o => GCHandle.Alloc(o, GCHandleType.Pinned)).ToArray();
            try
            {
                var pointers = stackalloc byte*[handles.Length];
                for (var i = 0; i < handles.Length; i++)
                {
                    pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                }

                var status = api.nvrtcCompileProgram(program, options.Length, pointers);
                if (status != 0)
                {
                    nuint logSize;
                    api.nvrtcGetProgramLogSize(program, &logSize);
                    var log = new byte[logSize];
                    fixed (byte* l = log)
                    {
                        api.nvrtcGetProgramLog(program, l);
                    }

                    throw new CudaException("nvrtcCompileProgram", status, "NVRTC_ERROR_COMPILATION", Encoding.UTF8.GetString(log).TrimEnd('\0'));
                }
            }
            finally
            {
                foreach (var h in handles)
                {
                    h.Free();
                }
            }

            nuint size;
            Check(api.nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize");
            var ptx = new byte[size];
            fixed (byte* p = ptx)
            {
                Check(api.nvrtcGetPTX(program, p), "nvrtcGetPTX");
            }

            return ptx;
        }
        finally
        {
            api.nvrtcDestroyProgram(&program);
        }
    }
}
