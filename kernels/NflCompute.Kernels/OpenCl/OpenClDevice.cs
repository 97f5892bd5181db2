using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.OpenCl;

/// <summary>An OpenCL device found by <see cref="OpenClBackend.Discover"/>.</summary>
/// <param name="Platform">The platform's name, e.g. "Portable Computing Language".</param>
/// <param name="Profile">The device's hardware profile.</param>
public sealed record OpenClDevice(string Platform, HardwareProfile Profile)
{
    internal nint PlatformId { get; init; }

    internal nint DeviceId { get; init; }

    /// <summary>True for a GPU; false for a CPU device (e.g. PoCL's pthread device).</summary>
    public bool IsGpu { get; init; }
}
