using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Devices;

namespace NflCompute.Kernels.Tests;

public sealed class CpuSimdBackendTests : BackendSuite
{
    protected override ComputeBackend CreateBackend() => new CpuSimdBackend();
}
