namespace NflCompute.Kernels.Devices;

/// <summary>The kinds of compute backend.</summary>
public enum BackendKind
{
    /// <summary>The CPU with SIMD (System.Numerics.Vector), across cores: the fast CPU path.</summary>
    CpuSimd,

    /// <summary>An OpenCL GPU through ILGPU (devices with the generic address space: AMD and Intel GPUs).</summary>
    OpenCl,

    /// <summary>An NVIDIA GPU through ILGPU's CUDA accelerator (PTX).</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator running the very kernels the GPUs run: for tests and for debugging a kernel.</summary>
    IlgpuCpu,
}
