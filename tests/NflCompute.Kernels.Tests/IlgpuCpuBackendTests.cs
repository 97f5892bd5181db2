using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// The suite on ILGPU's CPU accelerator: the very kernels CUDA and OpenCL run, here and in CI. One
/// backend (one context and one compile of every kernel) serves every test, as one serves a worker.
/// </summary>
public sealed class IlgpuCpuBackendTests : BackendSuite
{
    internal static readonly Lazy<ComputeBackend> Shared = new(() => DeviceCatalog.Open("ilgpu-cpu"));

    protected override ComputeBackend CreateBackend() => Shared.Value;

    protected override void Release(ComputeBackend backend)
    {
    }
}
