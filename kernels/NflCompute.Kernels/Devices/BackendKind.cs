namespace NflCompute.Kernels.Devices;

/// <summary>The kinds of compute backend.</summary>
public enum BackendKind
{
    /// <summary>The CPU with SIMD (System.Numerics.Vector), across cores.</summary>
    CpuSimd,

    /// <summary>An OpenCL device: a GPU, or a CPU through PoCL.</summary>
    OpenCl,

    /// <summary>An NVIDIA GPU through the CUDA driver API and NVRTC.</summary>
    Cuda,
}
