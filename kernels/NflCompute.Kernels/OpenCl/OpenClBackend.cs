using System.Text;
using NflCompute.Kernels.Devices;
using static NflCompute.Kernels.OpenCl.OpenClNative;

namespace NflCompute.Kernels.OpenCl;

/// <summary>
/// Runs the statistics kernels on one OpenCL device: a GPU, or any CPU through PoCL. The program is
/// built once per backend (PoCL also caches binaries on disk in POCL_CACHE_DIR, which this class
/// points at a folder of ours when it is unset). Every call checks its status; failures raise
/// <see cref="OpenClException"/> naming the call.
/// </summary>
public sealed unsafe class OpenClBackend : ComputeBackend
{
    private readonly OpenClDevice _device;
    private readonly ContextHandle _context;
    private readonly QueueHandle _queue;
    private readonly ProgramHandle _program;
    private readonly Lock _gate = new();

    static OpenClBackend()
    {
        if (Environment.GetEnvironmentVariable("POCL_CACHE_DIR") is null or "")
        {
            var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "nflcompute", "pocl-cache");
            Directory.CreateDirectory(cache);
            Environment.SetEnvironmentVariable("POCL_CACHE_DIR", cache);
        }
    }

    /// <summary>Creates a context, a queue and the program on <paramref name="device"/>.</summary>
    /// <exception cref="OpenClException">A call failed; for a build failure the message holds the build log.</exception>
    public OpenClBackend(OpenClDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        if (!device.Profile.SupportsDouble)
        {
            throw new NotSupportedException($"OpenCL device {device.Profile.Name} has no double precision, which exact enumeration and the bootstrap need.");
        }

        var id = device.DeviceId;
        _context = new ContextHandle(Check(clCreateContext(null, 1, &id, 0, 0, out var status), status, "clCreateContext"));
        _queue = new QueueHandle(Check(clCreateCommandQueue(_context.DangerousGetHandle(), id, 0, out status), status, "clCreateCommandQueue"));
        _program = Build(KernelSources.All);
    }

    /// <inheritdoc />
    public override HardwareProfile Profile => _device.Profile;

    /// <summary>Every OpenCL device on every platform; empty when no OpenCL driver is installed.</summary>
    public static IReadOnlyList<OpenClDevice> Discover()
    {
        try
        {
            uint count;
            var status = clGetPlatformIDs(0, null, out count);
            if (status == -1001 || count == 0)
            {
                return [];
            }

            OpenClException.ThrowIfFailed(status, "clGetPlatformIDs");
            var platforms = new nint[count];
            fixed (nint* p = platforms)
            {
                OpenClException.ThrowIfFailed(clGetPlatformIDs(count, p, out count), "clGetPlatformIDs");
            }

            var devices = new List<OpenClDevice>();
            foreach (var platform in platforms)
            {
                if (clGetDeviceIDs(platform, DeviceTypeAll, 0, null, out var deviceCount) != 0 || deviceCount == 0)
                {
                    continue;
                }

                var ids = new nint[deviceCount];
                fixed (nint* d = ids)
                {
                    OpenClException.ThrowIfFailed(clGetDeviceIDs(platform, DeviceTypeAll, deviceCount, d, out deviceCount), "clGetDeviceIDs");
                }

                var platformName = PlatformString(platform, OpenClNative.PlatformName);
                foreach (var id in ids)
                {
                    var isGpu = (DeviceValue<ulong>(id, DeviceType) & 4) != 0;
                    devices.Add(new OpenClDevice(platformName, new HardwareProfile
                    {
                        Backend = BackendKind.OpenCl,
                        Name = DeviceString(id, DeviceName),
                        Vendor = DeviceString(id, DeviceVendor),
                        GlobalMemoryBytes = (long)DeviceValue<ulong>(id, DeviceGlobalMemSize),
                        ComputeUnits = (int)DeviceValue<uint>(id, DeviceMaxComputeUnits),
                        ClockMHz = (int)DeviceValue<uint>(id, DeviceMaxClockFrequency),
                        SupportsDouble = DeviceValue<ulong>(id, DeviceDoubleFpConfig) != 0,
                        SimdWidth = (int)DeviceValue<uint>(id, DevicePreferredVectorWidthFloat),
                        IsGpu = isGpu,
                    })
                    { PlatformId = platform, DeviceId = id, IsGpu = isGpu });
                }
            }

            return devices;
        }
        catch (DllNotFoundException)
        {
            return [];
        }
    }

    /// <inheritdoc />
    public override SignFlipCounts[] CountSignFlips(SignFlipJob job)
    {
        var items = WorkItems(job.Resamples);
        var counts = new long[items * job.Models * 3];
        lock (_gate)
        {
            using var kernel = CreateKernel("sign_flip_counts");
            using var tables = Input(job.Tables);
            using var thresholds = Input(job.Thresholds);
            using var output = Output<long>(counts.Length);
            SetArgs(kernel, tables, job.Models, job.Triples, (ulong)job.Resamples, job.Seed, job.Stream, thresholds, output);
            Launch(kernel, items);
            Read(output, counts);
        }

        return SignFlipCounts.FromSlots(counts, job.Models);
    }

    /// <inheritdoc />
    public override SignFlipCounts[] CountAllSignFlips(ExactSignFlipJob job)
    {
        var items = WorkItems(1L << job.Length);
        var counts = new long[items * job.Models * 3];
        lock (_gate)
        {
            using var kernel = CreateKernel("sign_flip_exact");
            using var values = Input(job.Values);
            using var thresholds = Input(job.Thresholds);
            using var output = Output<long>(counts.Length);
            SetArgs(kernel, values, job.Models, job.Length, thresholds, output);
            Launch(kernel, items);
            Read(output, counts);
        }

        return SignFlipCounts.FromSlots(counts, job.Models);
    }

    /// <inheritdoc />
    public override double[] BootstrapMeans(BootstrapJob job)
    {
        var means = new double[job.Resamples];
        lock (_gate)
        {
            using var kernel = CreateKernel("bootstrap_means");
            using var values = Input(job.Values);
            using var output = Output<double>(means.Length);
            SetArgs(kernel, values, job.Values.Length, (ulong)job.Resamples, job.Seed, job.Stream, output);
            Launch(kernel, WorkItems(job.Resamples));
            Read(output, means);
        }

        return means;
    }

    /// <inheritdoc />
    public override Nfl.EloScore[] SweepElo(Nfl.EloSweepJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sums = new double[job.Parameters.Length * 3];
        var s = job.Schedule;
        lock (_gate)
        {
            using var kernel = CreateKernel("elo_sweep");
            using var home = Input(s.Home);
            using var away = Input(s.Away);
            using var flags = Input(job.Flags);
            using var outcome = Input(s.Outcome);
            using var margin = Input(s.Margin);
            using var seeds = Input(s.Seeds);
            using var parameters = Input(job.Packed);
            using var output = Output<double>(sums.Length);
            SetArgs(kernel, home, away, flags, outcome, margin, s.Games, seeds, s.Teams, parameters, job.Parameters.Length, output);
            Launch(kernel, WorkItems(job.Parameters.Length));
            Read(output, sums);
        }

        return job.Scores(sums);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _program.Dispose();
            _queue.Dispose();
            _context.Dispose();
        }
    }

    // Enough work items to fill the device, few enough that each does a useful share; a multiple
    // of 64 so any work-group size the implementation picks divides it.
    private long WorkItems(long work) =>
        (Math.Clamp(work, 1, Math.Max(1024, Profile.ComputeUnits * (_device.IsGpu ? 2048 : 256))) + 63) / 64 * 64;

    private ProgramHandle Build(string source)
    {
        var bytes = Encoding.UTF8.GetBytes(source);
        var id = _device.DeviceId;
        fixed (byte* s = bytes)
        {
            var length = (nuint)bytes.Length;
            var program = new ProgramHandle(Check(clCreateProgramWithSource(_context.DangerousGetHandle(), 1, &s, &length, out var status), status, "clCreateProgramWithSource"));
            var options = "-cl-std=CL1.2\0"u8;
            fixed (byte* o = options)
            {
                status = clBuildProgram(program.DangerousGetHandle(), 1, &id, o, 0, 0);
            }

            if (status != 0)
            {
                var log = BuildLog(program.DangerousGetHandle(), id);
                program.Dispose();
                throw new OpenClException("clBuildProgram", status, $"{_device.Profile.Name}: {log}");
            }

            return program;
        }
    }

    private static string BuildLog(nint program, nint device)
    {
        clGetProgramBuildInfo(program, device, ProgramBuildLog, 0, null, out var size);
        var log = new byte[size];
        fixed (byte* l = log)
        {
            clGetProgramBuildInfo(program, device, ProgramBuildLog, size, l, out _);
        }

        return Encoding.UTF8.GetString(log).TrimEnd('\0', '\n');
    }

    private KernelHandle CreateKernel(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* n = bytes)
        {
            return new KernelHandle(Check(clCreateKernel(_program.DangerousGetHandle(), n, out var status), status, $"clCreateKernel({name})"));
        }
    }

    private BufferHandle Input<T>(T[] data)
        where T : unmanaged
    {
        fixed (T* d = data)
        {
            var size = (nuint)(Math.Max(1, data.Length) * sizeof(T));
            return new BufferHandle(Check(clCreateBuffer(_context.DangerousGetHandle(), MemReadOnly | MemCopyHostPtr, size, data.Length == 0 ? null : d, out var status), status, "clCreateBuffer"));
        }
    }

    private BufferHandle Output<T>(long count)
        where T : unmanaged =>
        new(Check(clCreateBuffer(_context.DangerousGetHandle(), MemWriteOnly, (nuint)(Math.Max(1, count) * sizeof(T)), null, out var status), status, "clCreateBuffer"));

    private static void SetArgs(KernelHandle kernel, params object[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var status = args[i] switch
            {
                BufferHandle b => SetArg(kernel, i, b.DangerousGetHandle()),
                int v => SetArg(kernel, i, v),
                ulong v => SetArg(kernel, i, v),
                double v => SetArg(kernel, i, v),
                _ => throw new ArgumentException($"Kernel argument {i} has unsupported type {args[i].GetType()}."),
            };
            OpenClException.ThrowIfFailed(status, $"clSetKernelArg({i})");
        }
    }

    private static int SetArg<T>(KernelHandle kernel, int index, T value)
        where T : unmanaged => clSetKernelArg(kernel.DangerousGetHandle(), (uint)index, (nuint)sizeof(T), &value);

    private void Launch(KernelHandle kernel, long items)
    {
        // No local size: the implementation picks one that divides the global size.
        var global = (nuint)items;
        OpenClException.ThrowIfFailed(clEnqueueNDRangeKernel(_queue.DangerousGetHandle(), kernel.DangerousGetHandle(), 1, null, &global, null, 0, null, null), "clEnqueueNDRangeKernel");
    }

    private void Read<T>(BufferHandle buffer, T[] destination)
        where T : unmanaged
    {
        fixed (T* d = destination)
        {
            OpenClException.ThrowIfFailed(clEnqueueReadBuffer(_queue.DangerousGetHandle(), buffer.DangerousGetHandle(), 1, 0, (nuint)(destination.Length * sizeof(T)), d, 0, null, null), "clEnqueueReadBuffer");
        }
    }

    private static nint Check(nint handle, int status, string call)
    {
        OpenClException.ThrowIfFailed(status, call);
        return handle;
    }

    private static string PlatformString(nint platform, uint name) =>
        InfoString((size, value, returned) => clGetPlatformInfo(platform, name, size, value, out *returned), "clGetPlatformInfo");

    private static string DeviceString(nint device, uint name) =>
        InfoString((size, value, returned) => clGetDeviceInfo(device, name, size, value, out *returned), "clGetDeviceInfo");

    // The two-call pattern of clGet*Info for strings: ask the size, then the bytes.
    private delegate int InfoQuery(nuint size, void* value, nuint* returned);

    private static string InfoString(InfoQuery query, string call)
    {
        nuint size;
        OpenClException.ThrowIfFailed(query(0, null, &size), call);
        var bytes = new byte[size];
        fixed (byte* b = bytes)
        {
            OpenClException.ThrowIfFailed(query(size, b, &size), call);
        }

        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    private static T DeviceValue<T>(nint device, uint name)
        where T : unmanaged
    {
        T value = default;
        OpenClException.ThrowIfFailed(clGetDeviceInfo(device, name, (nuint)sizeof(T), &value, out _), "clGetDeviceInfo");
        return value;
    }
}
