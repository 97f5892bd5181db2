namespace NflCompute.Kernels.Devices;

/// <summary>A device present on this machine.</summary>
/// <param name="Id">Its id: "cpu", "cuda:N", "opencl:N" or "ilgpu-cpu".</param>
/// <param name="Profile">What it is.</param>
/// <param name="Open">Opens a backend on it (compiling its kernels).</param>
public sealed record DeviceEntry(string Id, HardwareProfile Profile, Func<ComputeBackend> Open);
