using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using NflCompute.Kernels.DeviceKernels;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Kernels.Ilgpu;

/// <summary>
/// Runs the kernels of <c>DeviceKernels/</c> on one ILGPU accelerator: a CUDA GPU, an OpenCL GPU,
/// or ILGPU's CPU accelerator. The backend owns its context and accelerator, compiles every kernel
/// once when it opens, and runs one launch at a time (the worker's tasks take turns on the device).
/// </summary>
public sealed class IlgpuBackend : ComputeBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly IlgpuKernels _kernels;
    private readonly Lock _gate = new();
    private readonly long _memoryBytes;
    private bool _disposed;

    /// <summary>Opens device <paramref name="ordinal"/> of <paramref name="kind"/> and compiles every kernel for it.</summary>
    /// <param name="id">The device's id, for messages ("cuda:0").</param>
    /// <param name="kind">Cuda, OpenCl or IlgpuCpu.</param>
    /// <param name="ordinal">Which device of that kind.</param>
    /// <param name="memoryBytes">The device memory a job may use; the device's own size when null (tests set less).</param>
    /// <exception cref="DeviceException">A kernel does not compile for the device (the message names both).</exception>
    internal IlgpuBackend(string id, BackendKind kind, int ordinal, long? memoryBytes = null)
    {
        Id = id;
        _context = IlgpuDevices.CreateContext(kind);
        try
        {
            var device = IlgpuDevices.Find(_context, kind, ordinal);
            Profile = IlgpuDevices.Profile(device);
            _accelerator = device.CreateAccelerator(_context);
            _memoryBytes = memoryBytes ?? Math.Min(_accelerator.MemorySize, Profile.GlobalMemoryBytes);
            _kernels = new IlgpuKernels(_accelerator, id);
        }
        catch
        {
            _accelerator?.Dispose();
            _context.Dispose();
            throw;
        }
    }

    /// <summary>The device's id: "cuda:N", "opencl:N" or "ilgpu-cpu".</summary>
    public string Id { get; }

    /// <inheritdoc />
    public override HardwareProfile Profile { get; }

    /// <summary>
    /// Runs a kernel of the caller's own on this backend's accelerator (see samples/CustomKernel):
    /// <paramref name="work"/> loads and launches it, taking its turn with the grid's kernels, and
    /// running out of device memory fails with that reason as theirs do.
    /// </summary>
    /// <param name="name">What to call the kernel in errors.</param>
    /// <param name="work">Loads the kernel on the accelerator, launches it and reads its result back.</param>
    /// <exception cref="DeviceException">The device ran out of memory.</exception>
    /// <exception cref="ObjectDisposedException">The backend is closed.</exception>
    public T Run<T>(string name, Func<Accelerator, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Run(name, 0, () => work(_accelerator));
    }

    /// <inheritdoc />
    public override SignFlipCounts[] CountSignFlips(SignFlipJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var lanes = Lanes(job.Resamples, job.Models);
        var slots = lanes * job.Models * 3L;
        return Run(nameof(SignFlipKernel), Bytes<float>(job.Tables.Length + job.Thresholds.Length) + Bytes<long>(slots + (3L * job.Models)), () =>
        {
            using var buffers = new BufferSet(_accelerator);
            var counts = buffers.Zeros<long>(slots);
            var (tables, thresholds) = (buffers.Upload(job.Tables), buffers.Upload(job.Thresholds));
            InChunks(job.Resamples, lanes * 64L, cancellationToken, (first, end) =>
                _kernels.SignFlips(lanes * job.Models, tables, thresholds, counts.View, job.Models, job.Triples, first, end, job.Seed, job.Stream, lanes));
            return Totals(buffers, counts, lanes, job.Models);
        });
    }

    /// <inheritdoc />
    public override SignFlipCounts[] CountAllSignFlips(ExactSignFlipJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var lanes = Lanes(1L << job.Length, job.Models);
        var slots = lanes * job.Models * 3L;
        return Run(nameof(ExactSignFlipKernel), Bytes<double>(job.Values.Length + job.Thresholds.Length) + Bytes<long>(slots + (3L * job.Models)), () =>
        {
            using var buffers = new BufferSet(_accelerator);
            var counts = buffers.Zeros<long>(slots);
            var (values, thresholds) = (buffers.Upload(job.Values), buffers.Upload(job.Thresholds));
            InChunks(1L << job.Length, lanes * 1024L, cancellationToken, (first, end) =>
                _kernels.ExactSignFlips(lanes * job.Models, values, thresholds, counts.View, job.Models, job.Length, first, end, lanes));
            return Totals(buffers, counts, lanes, job.Models);
        });
    }

    /// <inheritdoc />
    public override double[] BootstrapMeans(BootstrapJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var threads = Lanes(job.Resamples, 1);
        return Run(nameof(BootstrapKernel), Bytes<double>(job.Values.Length + job.Resamples), () =>
        {
            using var buffers = new BufferSet(_accelerator);
            var values = buffers.Upload(job.Values);
            var means = buffers.Zeros<double>(job.Resamples);
            InChunks(job.Resamples, threads * 16L, cancellationToken, (first, end) =>
                _kernels.BootstrapMeans(threads, values, means.View, first, end, job.Seed, job.Stream, threads));
            return means.GetAsArray1D();
        });
    }

    /// <inheritdoc />
    public override EloScore[] SweepElo(EloSweepJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var s = job.Schedule;
        var threads = Lanes(job.Parameters.Length, 1);
        var bytes = Bytes<int>(3L * s.Games) + Bytes<double>((2L * s.Games) + s.Teams + job.Packed.Length + (3L * job.Parameters.Length));
        return Run(nameof(EloSweepKernel), bytes, () =>
        {
            using var buffers = new BufferSet(_accelerator);
            var (home, away, flags) = (buffers.Upload(s.Home), buffers.Upload(s.Away), buffers.Upload(job.Flags));
            var (outcome, margin, seeds, parameters) = (buffers.Upload(s.Outcome), buffers.Upload(s.Margin), buffers.Upload(s.Seeds), buffers.Upload(job.Packed));
            var sums = buffers.Zeros<double>(3L * job.Parameters.Length);
            InChunks(job.Parameters.Length, threads, cancellationToken, (first, end) =>
                _kernels.EloSweep(threads, home, away, flags, outcome, margin, seeds, parameters, sums.View, (int)first, (int)end, threads));
            return job.Scores(sums.GetAsArray1D());
        });
    }

    /// <inheritdoc />
    public override SeasonSimResult SimulateSeasons(SeasonSimJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var problems = job.Validate().ToList();
        if (job.Home.Length > SeasonSimKernel.MaxGamesLeft)
        {
            problems.Add($"Home has {job.Home.Length} games left; the device kernel takes at most {SeasonSimKernel.MaxGamesLeft}.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(job));
        }

        // The device draws every game of a chunk of seasons; the host tallies them (SeasonSimulator.RunDrawn).
        var words = SeasonSimKernel.Words(job.Home.Length);
        var chunk = (int)Math.Min(job.Simulations, SeasonSimulator.DrawnChunk);
        var thresholds = new SeasonLayout(job).Thresholds.Select(t => (long)t).ToArray();
        var bytes = Bytes<uint>((long)chunk * words) + Bytes<double>(SeasonSimulator.NeedsSeasonRatings(job) ? (long)chunk * job.Teams : 0) + Bytes<int>(2L * job.Home.Length) + Bytes<double>(job.Teams + job.Home.Length) + Bytes<long>(job.Home.Length);
        return Run(nameof(SeasonSimKernel), bytes, () =>
        {
            using var buffers = new BufferSet(_accelerator);
            var args = new SeasonSimArgs
            {
                Teams = job.Teams,
                Games = job.Home.Length,
                Seed = job.Seed,
                Hot = job.Ratings is null ? 0 : 1,
                K = job.K,
                Ratings = buffers.Upload(job.Ratings ?? []),
                Home = buffers.Upload(job.Home),
                Away = buffers.Upload(job.Away),
                Thresholds = buffers.Upload(thresholds),
                HomeEdge = buffers.Upload(job.HomeEdge ?? []),
            };
            var outcomes = buffers.Zeros<uint>(Math.Max(1L, (long)chunk * words));
            var seasonRatings = SeasonSimulator.NeedsSeasonRatings(job) ? buffers.Zeros<double>((long)chunk * job.Teams) : null;
            var ratingsView = seasonRatings?.View ?? default;
            var threads = Lanes(chunk, 1);
            return SeasonSimulator.RunDrawn(job, (first, count, into, ratings) =>
            {
                _kernels.SeasonSim(threads, args, outcomes.View, ratingsView, first, first + count, threads);
                _accelerator.Synchronize();
                outcomes.View.BaseView.SubView(0, (long)count * words).CopyToCPU(into.AsSpan(0, count * words));
                if (seasonRatings is not null)
                {
                    seasonRatings.View.BaseView.SubView(0, (long)count * job.Teams).CopyToCPU(ratings.AsSpan(0, count * job.Teams));
                }
            }, cancellationToken);
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _disposed = true;
                    _accelerator.Dispose();
                    _context.Dispose();
                }
            }
        }
    }

    // Launches [0, total) in chunks, waiting for each and checking for a cancel between them: a
    // kernel cannot be interrupted, so a chunk (a few dozen iterations per thread) is how long a
    // cancelled task keeps the device.
    private void InChunks(long total, long chunk, CancellationToken cancellationToken, Action<long, long> launch)
    {
        for (var first = 0L; first < total; first += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            launch(first, Math.Min(total, first + chunk));
            _accelerator.Synchronize();
        }
    }

    // The per-lane slots added up on the device: one count per model and direction comes back.
    private SignFlipCounts[] Totals(BufferSet buffers, MemoryBuffer1D<long, Stride1D.Dense> slots, int lanes, int models)
    {
        var totals = buffers.Zeros<long>(3L * models);
        _kernels.SumSlots(3 * models, slots.View, totals.View, lanes);
        _accelerator.Synchronize();
        return SignFlipCounts.FromSlots(totals.GetAsArray1D(), models);
    }

    private static long Bytes<T>(long count)
        where T : unmanaged => count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    // Threads per model: together one wave of every thread the device runs at once (kernels
    // stride over the rest), never more than there is work.
    private int Lanes(long work, int models)
    {
        var perModel = Math.Max(1, _accelerator.MaxNumThreads / models);
        return (int)Math.Clamp(work, 1, Math.Min(perModel, int.MaxValue / Math.Max(models, 1)));
    }

    // One launch at a time; a job bigger than the device's memory, or a device that runs out,
    // fails with that reason (never a move to another device).
    private T Run<T>(string kernel, long bytes, Func<T> launch)
    {
        if (bytes > _memoryBytes)
        {
            throw OutOfMemory(kernel, $"needs {Mib(bytes)} of device memory and {Id} has {Mib(_memoryBytes)}", null);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return launch();
            }
            catch (Exception e) when (IsOutOfMemory(e))
            {
                throw OutOfMemory(kernel, $"ran out of device memory on {Id} ({e.Message})", e);
            }
        }
    }

    private DeviceException OutOfMemory(string kernel, string what, Exception? inner) =>
        new(DeviceFault.OutOfMemory, Id, $"{kernel}: the job {what}; make it smaller (fewer resamples, models or seasons) or run it on a device with more memory.", inner);

    private static string Mib(long bytes) => FormattableString.Invariant($"{bytes / 1048576.0:0.0} MiB");

    private static bool IsOutOfMemory(Exception e) => e switch
    {
        OutOfMemoryException => true,
        CudaException cuda => cuda.Error.ToString().Contains("OUT_OF_MEMORY", StringComparison.Ordinal),
        CLException cl => cl.Error.ToString() is "CL_MEM_OBJECT_ALLOCATION_FAILURE" or "CL_OUT_OF_RESOURCES" or "CL_OUT_OF_HOST_MEMORY",
        _ => false,
    };
}
