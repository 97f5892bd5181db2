using NflCompute.Kernels.Devices;
using NflCompute.Kernels.OpenCl;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// The suite on the first OpenCL CPU device (PoCL, which deploy/local/up.sh and CI install). A
/// missing device fails the tests, naming what to install; it never passes silently.
/// </summary>
public sealed class OpenClBackendTests : BackendSuite
{
    protected override ComputeBackend CreateBackend() =>
        new OpenClBackend(OpenClBackend.Discover().FirstOrDefault(d => !d.IsGpu)
            ?? throw new InvalidOperationException("No OpenCL CPU device: install pocl-opencl-icd and ocl-icd-libopencl1 (deploy/local/up.sh does)."));
}
