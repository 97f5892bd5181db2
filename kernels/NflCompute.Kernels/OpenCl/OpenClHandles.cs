using System.Runtime.InteropServices;

namespace NflCompute.Kernels.OpenCl;

/// <summary>An OpenCL object released exactly once, when its owner is disposed or finalized.</summary>
internal abstract class OpenClHandle : SafeHandle
{
    protected OpenClHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;
}

internal sealed class ContextHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.clReleaseContext(handle) == 0;
}

internal sealed class QueueHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.clReleaseCommandQueue(handle) == 0;
}

internal sealed class ProgramHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.clReleaseProgram(handle) == 0;
}

internal sealed class KernelHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.clReleaseKernel(handle) == 0;
}

internal sealed class BufferHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.clReleaseMemObject(handle) == 0;
}
