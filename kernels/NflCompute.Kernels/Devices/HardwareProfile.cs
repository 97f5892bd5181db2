namespace NflCompute.Kernels.Devices;

/// <summary>What a device is, as a worker registers it.</summary>
public sealed record HardwareProfile
{
    /// <summary>The backend that drives it.</summary>
    public required BackendKind Backend { get; init; }

    /// <summary>The device's name, e.g. "NVIDIA H100 80GB HBM3" or "pthread-AMD EPYC".</summary>
    public required string Name { get; init; }

    /// <summary>Its vendor.</summary>
    public required string Vendor { get; init; }

    /// <summary>Memory the device can use, in bytes.</summary>
    public long GlobalMemoryBytes { get; init; }

    /// <summary>Compute units (SMs, CPU cores).</summary>
    public int ComputeUnits { get; init; }

    /// <summary>Clock in MHz, when the device reports it.</summary>
    public int ClockMHz { get; init; }

    /// <summary>True for a GPU (CUDA, or an OpenCL GPU); false for a CPU, PoCL's included.</summary>
    public bool IsGpu { get; init; }

    /// <summary>Whether it computes in double precision.</summary>
    public bool SupportsDouble { get; init; }

    /// <summary>32-bit lanes per SIMD instruction (CPU) or per warp/wavefront (GPU).</summary>
    public int SimdWidth { get; init; }

    /// <summary>A short description for logs and /health.</summary>
    public override string ToString() =>
        $"{Backend}: {Name} ({Vendor}), {ComputeUnits} units, {GlobalMemoryBytes >> 20} MiB, {ClockMHz} MHz, simd {SimdWidth}, fp64 {SupportsDouble}";
}
