using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Tests;

/// <summary>The suite on the first CUDA device through ILGPU; reported as skipped where there is none (as in CI).</summary>
public sealed class CudaBackendTests : BackendSuite
{
    protected override ComputeBackend CreateBackend()
    {
        var device = DeviceCatalog.Discover().FirstOrDefault(d => d.Profile.Backend == BackendKind.Cuda);
        if (device is null)
        {
            Assert.Skip("No CUDA device here (an NVIDIA GPU and its driver, libcuda.so.1, are needed).");
        }

        return device.Open();
    }
}
