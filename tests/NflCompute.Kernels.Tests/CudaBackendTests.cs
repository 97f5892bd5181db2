using NflCompute.Kernels.Cuda;
using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Tests;

/// <summary>The suite on the first CUDA device; reported as skipped where there is none (as in CI).</summary>
public sealed class CudaBackendTests : BackendSuite
{
    protected override ComputeBackend CreateBackend()
    {
        var device = CudaBackend.Discover().FirstOrDefault();
        if (device is null)
        {
            Assert.Skip("No CUDA device here (libcuda.so.1 and libnvrtc with a GPU are needed).");
        }

        return new CudaBackend(device);
    }
}
