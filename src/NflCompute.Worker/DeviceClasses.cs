using NflCompute.Kernels.Devices;


namespace NflCompute.Worker;

/// <summary>The hardware classes a device qualifies for, most demanding first.</summary>
public static class DeviceClasses
{
    /// <summary>A GPU (CUDA, or an OpenCL GPU) runs gpu-high, gpu and cpu tasks; a CPU runs cpu tasks.</summary>
    public static IReadOnlyList<string> For(HardwareProfile device) =>
        device.IsGpu ? ["gpu-high", "gpu", "cpu"] : ["cpu"];
}
