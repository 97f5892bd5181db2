using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Ilgpu;

namespace NflCompute.Kernels.Devices;

/// <summary>
/// Every device this machine has, by id, and opening one by its id: "cpu" (the SIMD backend, the
/// fast CPU path), "cuda:N" and "opencl:N" (GPUs through ILGPU) and "ilgpu-cpu" (ILGPU's CPU
/// accelerator running the GPU kernels, for tests and for debugging a kernel). The choice is always
/// explicit: asking for a device that is absent is an error that lists what is present, never a
/// quiet fall back to another device.
/// </summary>
public static class DeviceCatalog
{
    /// <summary>The devices present: the CPU first, then CUDA devices, then OpenCL devices, then ILGPU's CPU accelerator.</summary>
    public static IReadOnlyList<DeviceEntry> Discover() =>
        [new("cpu", CpuSimdBackend.Device, () => new CpuSimdBackend()), .. IlgpuDevices.Discover()];

    /// <summary>Opens the device <paramref name="id"/>.</summary>
    /// <exception cref="DeviceException">No such device here (the message lists the devices present), or a kernel does not compile for it.</exception>
    public static ComputeBackend Open(string id) => Find(Discover(), id).Open();

    /// <summary>
    /// The best device for "auto": a CUDA GPU, else an OpenCL GPU, else the SIMD CPU backend (never
    /// the ILGPU CPU accelerator, which is for tests), with the reason for the choice.
    /// </summary>
    public static (DeviceEntry Device, string Reason) ChooseAuto(IReadOnlyList<DeviceEntry> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var others = string.Join(", ", devices.Select(d => d.Id));
        if (devices.FirstOrDefault(d => d.Profile.Backend == BackendKind.Cuda) is { } cuda)
        {
            return (cuda, $"the first CUDA GPU (present: {others})");
        }

        if (devices.FirstOrDefault(d => d.Profile.Backend == BackendKind.OpenCl && d.Profile.IsGpu) is { } gpu)
        {
            return (gpu, $"no CUDA GPU, the first OpenCL GPU (present: {others})");
        }

        return (Find(devices, "cpu"), $"no CUDA or OpenCL GPU, the SIMD CPU backend (present: {others})");
    }

    /// <summary>The entry of <paramref name="id"/> among <paramref name="devices"/>.</summary>
    /// <exception cref="DeviceException">No such device; the message lists the devices present.</exception>
    public static DeviceEntry Find(IReadOnlyList<DeviceEntry> devices, string id)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return devices.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw new DeviceException(DeviceFault.NotPresent, id, $"Device '{id}' is not present. Present: {string.Join("; ", devices.Select(e => $"{e.Id} = {e.Profile.Name}"))}.");
    }
}
