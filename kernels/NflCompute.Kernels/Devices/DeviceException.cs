using NflCompute.Core.Errors;

namespace NflCompute.Kernels.Devices;

/// <summary>What went wrong on a device.</summary>
public enum DeviceFault
{
    /// <summary>The device id names no device on this machine.</summary>
    NotPresent,

    /// <summary>A kernel did not compile for the device.</summary>
    KernelDidNotCompile,

    /// <summary>The job needs more device memory than the device has.</summary>
    OutOfMemory,
}

/// <summary>
/// A device could not be opened or could not run a job. Not transient: the same job on the same
/// device fails the same way, so a task that meets one ends with this reason instead of retrying.
/// </summary>
public sealed class DeviceException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public DeviceException(DeviceFault fault, string device, string message, Exception? inner = null)
        : base(message, inner: inner) => (Fault, Device) = (fault, device);

    /// <summary>What went wrong.</summary>
    public DeviceFault Fault { get; }

    /// <summary>The device's id, e.g. "cuda:0".</summary>
    public string Device { get; }
}
