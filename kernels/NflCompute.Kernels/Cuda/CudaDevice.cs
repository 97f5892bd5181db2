using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Cuda;

/// <summary>A CUDA device found by <see cref="CudaBackend.Discover"/>.</summary>
/// <param name="Ordinal">The device's CUDA ordinal.</param>
/// <param name="ComputeCapability">Major and minor compute capability, e.g. (9, 0) for Hopper.</param>
/// <param name="Profile">The device's hardware profile.</param>
public sealed record CudaDevice(int Ordinal, (int Major, int Minor) ComputeCapability, HardwareProfile Profile);
