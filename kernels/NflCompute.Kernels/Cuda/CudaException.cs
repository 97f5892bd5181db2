namespace NflCompute.Kernels.Cuda;

/// <summary>A CUDA driver or NVRTC call failed: which call, its status and its name.</summary>
public sealed class CudaException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CudaException(string call, int status, string name, string? detail = null)
        : base($"CUDA {call} failed with {status} ({name}){(detail is null ? "" : ": " + detail)}")
    {
        Call = call;
        Status = status;
    }

    /// <summary>The function that failed.</summary>
    public string Call { get; }

    /// <summary>Its status code.</summary>
    public int Status { get; }
}
