using System.Runtime.InteropServices;
using System.Text;

namespace NflCompute.Kernels.Cuda;

/// <summary>
/// The CUDA driver API (libcuda.so.1) and NVRTC, bound at run time through function pointers:
/// nothing is loaded until a CUDA device is looked for, and a machine without CUDA simply has none.
/// </summary>
internal static unsafe class CudaNative
{
    public const int AttributeClockRateKHz = 13;
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeWarpSize = 10;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    private static readonly Lazy<Api?> Loaded = new(Load);

    /// <summary>The bound entry points, or null when the driver or NVRTC is missing.</summary>
    public static Api? Functions => Loaded.Value;

    internal sealed class Api
    {
        public delegate* unmanaged<uint, int> cuInit;
        public delegate* unmanaged<int*, int> cuDeviceGetCount;
        public delegate* unmanaged<int*, int, int> cuDeviceGet;
        public delegate* unmanaged<byte*, int, int, int> cuDeviceGetName;
        public delegate* unmanaged<nuint*, int, int> cuDeviceTotalMem;
        public delegate* unmanaged<int*, int, int, int> cuDeviceGetAttribute;
        public delegate* unmanaged<nint*, int, int> cuDevicePrimaryCtxRetain;
        public delegate* unmanaged<int, int> cuDevicePrimaryCtxRelease;
        public delegate* unmanaged<nint, int> cuCtxSetCurrent;
        public delegate* unmanaged<int> cuCtxSynchronize;
        public delegate* unmanaged<nint*, byte*, int> cuModuleLoadData;
        public delegate* unmanaged<nint, int> cuModuleUnload;
        public delegate* unmanaged<nint*, nint, byte*, int> cuModuleGetFunction;
        public delegate* unmanaged<ulong*, nuint, int> cuMemAlloc;
        public delegate* unmanaged<ulong, int> cuMemFree;
        public delegate* unmanaged<ulong, void*, nuint, int> cuMemcpyHtoD;
        public delegate* unmanaged<void*, ulong, nuint, int> cuMemcpyDtoH;
        public delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int> cuLaunchKernel;
        public delegate* unmanaged<int, byte**, int> cuGetErrorName;
        public delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int> nvrtcCreateProgram;
        public delegate* unmanaged<nint, int, byte**, int> nvrtcCompileProgram;
        public delegate* unmanaged<nint, nuint*, int> nvrtcGetProgramLogSize;
        public delegate* unmanaged<nint, byte*, int> nvrtcGetProgramLog;
        public delegate* unmanaged<nint, nuint*, int> nvrtcGetPTXSize;
        public delegate* unmanaged<nint, byte*, int> nvrtcGetPTX;
        public delegate* unmanaged<nint*, int> nvrtcDestroyProgram;
        public delegate* unmanaged<int, byte*> nvrtcGetErrorString;
    }

    public static void Check(int status, string call)
    {
        if (status == 0)
        {
            return;
        }

        var name = "unknown";
        if (Functions is { } api)
        {
            byte* text = null;
            if (call.StartsWith("nvrtc", StringComparison.Ordinal))
            {
                text = api.nvrtcGetErrorString(status);
            }
            else if (api.cuGetErrorName(status, &text) != 0)
            {
                text = null;
            }

            name = text is null ? name : Marshal.PtrToStringUTF8((nint)text) ?? name;
        }

        throw new CudaException(call, status, name);
    }

    private static Api? Load()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var driver))
        {
            return null;
        }

        // NVRTC ships with the toolkit under a versioned name.
        var nvrtc = new[] { "libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2" }
            .Select(name => NativeLibrary.TryLoad(name, out var h) ? h : 0)
            .FirstOrDefault(h => h != 0);
        if (nvrtc == 0)
        {
            return null;
        }

        nint D(string name) => NativeLibrary.GetExport(driver, name);
        nint N(string name) => NativeLibrary.GetExport(nvrtc, name);
        return new Api
        {
            cuInit = (delegate* unmanaged<uint, int>)D("cuInit"),
            cuDeviceGetCount = (delegate* unmanaged<int*, int>)D("cuDeviceGetCount"),
            cuDeviceGet = (delegate* unmanaged<int*, int, int>)D("cuDeviceGet"),
            cuDeviceGetName = (delegate* unmanaged<byte*, int, int, int>)D("cuDeviceGetName"),
            cuDeviceTotalMem = (delegate* unmanaged<nuint*, int, int>)D("cuDeviceTotalMem_v2"),
            cuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)D("cuDeviceGetAttribute"),
            cuDevicePrimaryCtxRetain = (delegate* unmanaged<nint*, int, int>)D("cuDevicePrimaryCtxRetain"),
            cuDevicePrimaryCtxRelease = (delegate* unmanaged<int, int>)D("cuDevicePrimaryCtxRelease_v2"),
            cuCtxSetCurrent = (delegate* unmanaged<nint, int>)D("cuCtxSetCurrent"),
            cuCtxSynchronize = (delegate* unmanaged<int>)D("cuCtxSynchronize"),
            cuModuleLoadData = (delegate* unmanaged<nint*, byte*, int>)D("cuModuleLoadData"),
            cuModuleUnload = (delegate* unmanaged<nint, int>)D("cuModuleUnload"),
            cuModuleGetFunction = (delegate* unmanaged<nint*, nint, byte*, int>)D("cuModuleGetFunction"),
            cuMemAlloc = (delegate* unmanaged<ulong*, nuint, int>)D("cuMemAlloc_v2"),
            cuMemFree = (delegate* unmanaged<ulong, int>)D("cuMemFree_v2"),
            cuMemcpyHtoD = (delegate* unmanaged<ulong, void*, nuint, int>)D("cuMemcpyHtoD_v2"),
            cuMemcpyDtoH = (delegate* unmanaged<void*, ulong, nuint, int>)D("cuMemcpyDtoH_v2"),
            cuLaunchKernel = (delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int>)D("cuLaunchKernel"),
            cuGetErrorName = (delegate* unmanaged<int, byte**, int>)D("cuGetErrorName"),
            nvrtcCreateProgram = (delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int>)N("nvrtcCreateProgram"),
            nvrtcCompileProgram = (delegate* unmanaged<nint, int, byte**, int>)N("nvrtcCompileProgram"),
            nvrtcGetProgramLogSize = (delegate* unmanaged<nint, nuint*, int>)N("nvrtcGetProgramLogSize"),
            nvrtcGetProgramLog = (delegate* unmanaged<nint, byte*, int>)N("nvrtcGetProgramLog"),
            nvrtcGetPTXSize = (delegate* unmanaged<nint, nuint*, int>)N("nvrtcGetPTXSize"),
            nvrtcGetPTX = (delegate* unmanaged<nint, byte*, int>)N("nvrtcGetPTX"),
            nvrtcDestroyProgram = (delegate* unmanaged<nint*, int>)N("nvrtcDestroyProgram"),
            nvrtcGetErrorString = (delegate* unmanaged<int, byte*>)N("nvrtcGetErrorString"),
        };
    }

    public static byte[] Utf8Z(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
