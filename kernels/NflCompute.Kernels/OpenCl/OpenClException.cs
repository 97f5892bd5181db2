namespace NflCompute.Kernels.OpenCl;

/// <summary>An OpenCL call failed: which call, its status code and what that code means.</summary>
public sealed class OpenClException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public OpenClException(string call, int status, string? detail = null)
        : base($"OpenCL {call} failed with {status} ({Describe(status)}){(detail is null ? "" : ": " + detail)}")
    {
        Call = call;
        Status = status;
    }

    /// <summary>The OpenCL function that failed.</summary>
    public string Call { get; }

    /// <summary>Its status code.</summary>
    public int Status { get; }

    internal static void ThrowIfFailed(int status, string call)
    {
        if (status != 0)
        {
            throw new OpenClException(call, status);
        }
    }

    private static string Describe(int status) => status switch
    {
        -1 => "CL_DEVICE_NOT_FOUND",
        -2 => "CL_DEVICE_NOT_AVAILABLE",
        -3 => "CL_COMPILER_NOT_AVAILABLE",
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE: not enough device memory",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -11 => "CL_BUILD_PROGRAM_FAILURE: see the build log",
        -30 => "CL_INVALID_VALUE",
        -33 => "CL_INVALID_DEVICE",
        -34 => "CL_INVALID_CONTEXT",
        -36 => "CL_INVALID_COMMAND_QUEUE",
        -38 => "CL_INVALID_MEM_OBJECT",
        -46 => "CL_INVALID_KERNEL_NAME",
        -48 => "CL_INVALID_KERNEL",
        -49 => "CL_INVALID_ARG_INDEX",
        -50 => "CL_INVALID_ARG_VALUE",
        -51 => "CL_INVALID_ARG_SIZE",
        -52 => "CL_INVALID_KERNEL_ARGS",
        -54 => "CL_INVALID_WORK_GROUP_SIZE: the global size must be a multiple of the local size",
        -61 => "CL_INVALID_BUFFER_SIZE",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR: no OpenCL driver is installed (e.g. pocl-opencl-icd)",
        _ => "see the OpenCL specification",
    };
}
