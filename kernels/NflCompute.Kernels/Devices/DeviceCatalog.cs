using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Cuda;
using NflCompute.Kernels.OpenCl;

namespace NflCompute.Kernels.Devices;

/// <summary>
/// Every device this machine has, by id ("cpu", "opencl:0", "cuda:0"), and opening one by its id.
/// The choice is always explicit: asking for a device that is absent is an error that lists what
/// is present, never a quiet fall back to another device.
/// </summary>
public static class DeviceCatalog
{
    /// <summary>The devices present, the CPU first, then OpenCL devices, then CUDA devices.</summary>
    public static IReadOnlyList<DeviceEntry> Discover()
    {
        var entries = new List<DeviceEntry> { new("cpu", CpuSimdBackend.Device, () => new CpuSimdBackend()) };
        var opencl = OpenClBackend.Discover();
        for (var i = 0; i < opencl.Count; i++)
        {
            var device = opencl[i];
            entries.Add(new($"opencl:{i}", device.Profile, () => new OpenClBackend(device)));
        }

        var cuda = CudaBackend.Discover();
        for (var i = 0; i < cuda.Count; i++)
        {
            var device = cuda[i];
            entries.Add(new($"cuda:{i}", device.Profile, () => new CudaBackend(device)));
        }

        return entries;
    }

    /// <summary>Opens the device <paramref name="id"/>.</summary>
    /// <exception cref="InvalidOperationException">No such device here; the message lists the devices present.</exception>
    public static ComputeBackend Open(string id)
    {
        var entries = Discover();
        var entry = entries.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"Device '{id}' is not present. Present: {string.Join("; ", entries.Select(e => $"{e.Id} = {e.Profile.Name}"))}.");
        return entry.Open();
    }
}
