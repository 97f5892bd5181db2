using NflCompute.Kernels.Devices;
using NflCompute.Kernels.OpenCl;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// The suite on the first OpenCL CPU device (PoCL, which deploy/local/up.sh and CI install). A
/// missing device fails the tests, naming what to install; it never passes silently. One backend
/// (one context and program build) serves every test of the suite, as one serves a worker.
/// </summary>
public sealed class OpenClBackendTests : BackendSuite
{
    private static readonly Lazy<ComputeBackend> Shared = new(() =>
    {
        var devices = OpenClBackend.Discover();
        return new OpenClBackend(devices.FirstOrDefault(d => !d.IsGpu)
            ?? throw new InvalidOperationException($"No OpenCL CPU device among [{string.Join(", ", devices.Select(d => d.Profile.Name))}]: install pocl-opencl-icd and ocl-icd-libopencl1 (deploy/local/up.sh does)."));
    });

    protected override ComputeBackend CreateBackend() => Shared.Value;

    protected override void Release(ComputeBackend backend)
    {
    }
}
