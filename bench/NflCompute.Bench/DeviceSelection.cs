using NflCompute.Kernels.Devices;

namespace NflCompute.Bench;

/// <summary>`--devices cpu,ilgpu-cpu,cuda:0` picks devices by id (all present when absent); the SIMD CPU backend is always measured first, for the ratios.</summary>
internal static class DeviceSelection
{
    public static IReadOnlyList<DeviceEntry> From(string[] args)
    {
        var present = DeviceCatalog.Discover();
        var at = Array.IndexOf(args, "--devices");
        if (at < 0 || at + 1 >= args.Length)
        {
            return present;
        }

        var ids = args[at + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. new[] { "cpu" }.Concat(ids).Distinct(StringComparer.OrdinalIgnoreCase).Select(id => DeviceCatalog.Find(present, id))];
    }
}
