using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using NflCompute.Kernels.Devices;
using Samples.CustomKernel;

namespace NflCompute.Samples.Tests;

/// <summary>samples/CustomKernel: the modeler's kernel gives the same table on ILGPU's CPU accelerator as the host's reference, and compiles for CUDA.</summary>
public sealed class CustomKernelSampleTests
{
    [Fact]
    public void TheKernel_GivesTheHostsTable_OnAnIlgpuDevice()
    {
        var random = new Random(11);
        var predictions = Enumerable.Range(0, 20_000).Select(_ => random.NextDouble()).ToArray();
        var outcomes = predictions.Select(p => random.NextDouble() < p ? 1.0 : 0.0).ToArray();
        using var cpu = DeviceCatalog.Open("cpu");
        using var device = DeviceCatalog.Open("ilgpu-cpu");

        var host = Calibration.Table(cpu, predictions, outcomes, bins: 20);
        var kernel = Calibration.Table(device, predictions, outcomes, bins: 20);

        Assert.Equal(host, kernel);
        Assert.Equal(20_000, kernel.Sum(b => b.Games));
    }

    [Fact]
    public void TheTable_CountsEachGameInItsBin()
    {
        using var device = DeviceCatalog.Open("ilgpu-cpu");

        var table = Calibration.Table(device, [0.05, 0.15, 0.12, 1.0, 0.95], [0, 1, 0, 1, 0], bins: 10);

        Assert.Equal([1L, 2, 0, 0, 0, 0, 0, 0, 0, 2], table.Select(b => b.Games));
        Assert.Equal((0.135, 0.5), (Math.Round(table[1].Predicted, 9), table[1].Observed));
        Assert.Equal(0.975, table[9].Predicted, 9); // 1.0 falls in the last bin
        Assert.True(double.IsNaN(table[5].Observed));
    }

    [Fact]
    public void BadInput_SaysWhatIsWrong()
    {
        using var device = DeviceCatalog.Open("cpu");

        Assert.Contains("predictions has 2 values and outcomes 1", Assert.Throws<ArgumentException>(() => Calibration.Table(device, [0.1, 0.2], [1], 10)).Message, StringComparison.Ordinal);
        Assert.Contains("predictions[1] is NaN", Assert.Throws<ArgumentException>(() => Calibration.Table(device, [0.1, double.NaN], [1, 0], 10)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKernel_CompilesToPtx()
    {
        using var context = Context.Create(b => b.Cuda());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_80), CudaArchitecture.SM_80, CudaInstructionSet.ISA_80, null!);

        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(typeof(CalibrationKernel).GetMethod(nameof(CalibrationKernel.Bin))!), default);

        // Three integer adds to global memory whose result is unused: PTX's reduction, red.add.u64.
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(compiled.PTXAssembly, @"\bred(\.global)?\.add\.u64\b"));
    }
}
