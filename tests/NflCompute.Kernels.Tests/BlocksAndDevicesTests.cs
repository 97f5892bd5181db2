using NflCompute.Kernels.Cpu;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

public sealed class BlocksAndDevicesTests : IDisposable
{
    private readonly CpuSimdBackend _cpu = new();

    [Fact]
    public void BlockPermutation_FlipsWholeBlocksTogether()
    {
        double[] d = [2, 2, 1, 1];

        var byBlock = PermutationTest.Run(_cpu, d, 1000, seed: 1, blocks: [7, 7, 9, 9]);
        var byGame = PermutationTest.Run(_cpu, d, 1000, seed: 1);

        // Two blocks: 4 sign patterns; T = 1.5 is reached only with both blocks kept.
        Assert.Equal((true, 4L, 0.25), (byBlock.Exact, byBlock.Resamples, byBlock.PGreater));
        Assert.Equal(1.0 / 16, byGame.PGreater);
    }

    [Fact]
    public void SingletonBlocks_GiveExactlyThePlainTests()
    {
        var d = GoldenStats.Case("large_n", "brier_n200").P("d").Doubles();
        var singletons = Enumerable.Range(0, d.Length).ToArray();

        Assert.Equal(PermutationTest.Run(_cpu, d, 5000, seed: 3), PermutationTest.Run(_cpu, d, 5000, seed: 3, blocks: singletons));
        var plain = Bootstrap.Run(_cpu, d, 5000, 0.9, seed: 4);
        var blocked = Bootstrap.Run(_cpu, d, 5000, 0.9, seed: 4, blocks: singletons);
        Assert.Equal((plain.PercentileLow, plain.PercentileHigh, plain.Z0), (blocked.PercentileLow, blocked.PercentileHigh, blocked.Z0));
        GoldenStats.Close(plain.Acceleration, blocked.Acceleration, "acceleration");
        GoldenStats.Close(plain.BcaLow, blocked.BcaLow, "BCa low", 1e-9);
    }

    [Fact]
    public void BlockBootstrap_ResamplesWeeks_AndContainsTheEstimate()
    {
        var d = GoldenStats.Case("large_n", "brier_n200").P("d").Doubles();
        var weeks = Enumerable.Range(0, d.Length).Select(i => i / 16).ToArray();

        var r = Bootstrap.Run(_cpu, d, 20_000, 0.95, seed: 5, blocks: weeks);

        Assert.InRange(r.Estimate, r.BcaLow, r.BcaHigh);
        Assert.InRange(r.Estimate, r.PercentileLow, r.PercentileHigh);
        Assert.True(r.StandardError > 0);
    }

    [Fact]
    public void DeviceCatalog_ListsTheCpuAndTheIlgpuCpu_AndOpensOnlyWhatIsThere()
    {
        var devices = DeviceCatalog.Discover();

        Assert.Equal("cpu", devices[0].Id);
        Assert.Equal("ilgpu-cpu", devices[^1].Id);
        Assert.Equal(BackendKind.IlgpuCpu, devices[^1].Profile.Backend);
        using (var cpu = DeviceCatalog.Open("cpu"))
        {
            Assert.Equal(BackendKind.CpuSimd, cpu.Profile.Backend);
        }

        var error = Assert.Throws<DeviceException>(() => DeviceCatalog.Open("cuda:7"));
        Assert.Equal(DeviceFault.NotPresent, error.Fault);
        Assert.False(error.IsTransient);
        Assert.Contains("Device 'cuda:7' is not present. Present: cpu = ", error.Message, StringComparison.Ordinal);
        Assert.Contains("ilgpu-cpu = ILGPU CPU accelerator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_PrefersCudaThenAnOpenClGpu_AndNeverPicksTheIlgpuCpu()
    {
        HardwareProfile Profile(BackendKind kind, bool gpu) => CpuSimdBackend.Device with { Backend = kind, IsGpu = gpu };
        DeviceEntry Entry(string id, BackendKind kind, bool gpu) => new(id, Profile(kind, gpu), () => throw new InvalidOperationException("not opened"));
        var cpu = Entry("cpu", BackendKind.CpuSimd, false);
        var ilgpuCpu = Entry("ilgpu-cpu", BackendKind.IlgpuCpu, false);
        var opencl = Entry("opencl:0", BackendKind.OpenCl, true);
        var cuda = Entry("cuda:0", BackendKind.Cuda, true);

        Assert.Equal("cuda:0", DeviceCatalog.ChooseAuto([cpu, opencl, cuda, ilgpuCpu]).Device.Id);
        Assert.Equal("opencl:0", DeviceCatalog.ChooseAuto([cpu, opencl, ilgpuCpu]).Device.Id);
        var (chosen, reason) = DeviceCatalog.ChooseAuto([cpu, ilgpuCpu]);
        Assert.Equal("cpu", chosen.Id);
        Assert.Equal("no CUDA or OpenCL GPU, the SIMD CPU backend (present: cpu, ilgpu-cpu)", reason);
    }

    public void Dispose() => _cpu.Dispose();
}
