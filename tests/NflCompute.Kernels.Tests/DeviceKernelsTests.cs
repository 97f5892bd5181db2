using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using NflCompute.Kernels.DeviceKernels;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Ilgpu;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// The CUDA path proven without a GPU: every kernel compiles to PTX for the architectures the grid
/// runs on, the canonical kernels cannot be changed by FMA contraction, and device faults carry
/// their reason.
/// </summary>
public sealed partial class DeviceKernelsTests
{
    // Every kernel: each static method of DeviceKernels/ whose first parameter is its thread index.
    private static readonly MethodInfo[] Kernels = [.. typeof(SignFlipKernel).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(SignFlipKernel).Namespace)
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Index1D))];

    public static TheoryData<string, int> KernelsAndArchitectures()
    {
        var data = new TheoryData<string, int>();
        foreach (var kernel in Kernels)
        {
            foreach (var sm in new[] { 80, 90 })
            {
                data.Add($"{kernel.DeclaringType!.Name}.{kernel.Name}", sm);
            }
        }

        return data;
    }

    [Fact]
    public void EveryKernelInTheFolder_IsLoadedByTheBackend()
    {
        Assert.Equal(6, Kernels.Length);
        Assert.Equal(Kernels.Select(k => k.DeclaringType!).OrderBy(t => t.Name), IlgpuKernels.Algorithms.OrderBy(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(KernelsAndArchitectures))]
    public void EveryKernel_CompilesToPtx(string kernel, int sm)
    {
        var ptx = Ptx(kernel, sm);

        // ILGPU 1.5.3 writes ".target sm_80" for every newer architecture too: PTX is forward
        // compatible, and the driver compiles it for the card it loads on.
        Assert.Matches(@"\.version 8\.0\s+\.target sm_80", ptx);
        Assert.Contains(".entry", ptx, StringComparison.Ordinal);
    }

    // ILGPU writes mul.f32 / add.f32 without .rn, which ptxas may fuse into an FMA. The kernels
    // whose results are promised bit for bit on every device only add floats, so there is nothing
    // to fuse.
    [Theory]
    [InlineData("SignFlipKernel.Count")]
    [InlineData("ExactSignFlipKernel.Count")]
    [InlineData("BootstrapKernel.Means")]
    public void CanonicalKernels_HaveNoFloatingMultiply_SoContractionCannotChangeTheirSums(string kernel)
    {
        var ptx = Ptx(kernel, 90);

        Assert.Matches(FloatAdd(), ptx);
        Assert.DoesNotMatch(FloatMultiply(), ptx);
    }

    [Fact]
    public void AKernelThatDoesNotCompile_NamesTheKernelAndTheDevice()
    {
        using var context = IlgpuDevices.CreateContext(BackendKind.IlgpuCpu);
        using var accelerator = context.GetPreferredDevice(preferCPU: true).CreateAccelerator(context);

        var error = Assert.Throws<DeviceException>(() => IlgpuKernels.Load("ilgpu-cpu", nameof(Allocating), () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>>(Allocating)));

        Assert.Equal(DeviceFault.KernelDidNotCompile, error.Fault);
        Assert.StartsWith("Kernel Allocating does not compile or load for ilgpu-cpu: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJobBiggerThanTheDevicesMemory_FailsWithThatReason_AndTheDeviceStillWorks()
    {
        using var small = new IlgpuBackend("ilgpu-cpu", BackendKind.IlgpuCpu, 0, memoryBytes: 1 << 20);
        var big = new BootstrapJob([1.0, 2.0, 3.0], Resamples: 200_000, Seed: 1, Stream: 0);

        var error = Assert.Throws<DeviceException>(() => small.BootstrapMeans(big));

        Assert.Equal(DeviceFault.OutOfMemory, error.Fault);
        Assert.False(error.IsTransient);
        Assert.Equal("BootstrapKernel: the job needs 1.5 MiB of device memory and ilgpu-cpu has 1.0 MiB; make it smaller (fewer resamples, models or seasons) or run it on a device with more memory.", error.Message);
        Assert.Equal(1_000, small.BootstrapMeans(big with { Resamples = 1_000 }).Length);
    }

    [Fact]
    public void Disposing_ReleasesTheAcceleratorAndContext_ALaterCallSaysSo_AndTheDeviceOpensAgain()
    {
        var job = new BootstrapJob([1.0, 2.0, 4.0], Resamples: 100, Seed: 3, Stream: 0);
        var first = DeviceCatalog.Open("ilgpu-cpu");
        var means = first.BootstrapMeans(job);

        first.Dispose();
        first.Dispose();

        Assert.Throws<ObjectDisposedException>(() => first.BootstrapMeans(job));
        using var second = DeviceCatalog.Open("ilgpu-cpu");
        Assert.Equal(means, second.BootstrapMeans(job));
    }

    // Allocates a managed object: no accelerator can compile that.
    private static void Allocating(Index1D index, ArrayView<int> values) => values[index] = new object().GetHashCode();

    private static string Ptx(string kernel, int sm)
    {
        var method = Kernels.Single(k => $"{k.DeclaringType!.Name}.{k.Name}" == kernel);
        var architecture = sm == 80 ? CudaArchitecture.SM_80 : CudaArchitecture.SM_90;
        using var context = Context.Create(b => b.EnableAlgorithms().Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, null!);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), default);
        return compiled.PTXAssembly;
    }

    [GeneratedRegex(@"\badd(\.rn)?\.f(32|64)\b")]
    private static partial Regex FloatAdd();

    [GeneratedRegex(@"\b(mul|fma|mad)(\.r[nzmp])?\.f(32|64)\b")]
    private static partial Regex FloatMultiply();
}
