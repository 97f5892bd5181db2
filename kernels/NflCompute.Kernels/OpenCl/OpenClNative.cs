using System.Runtime.InteropServices;

namespace NflCompute.Kernels.OpenCl;

/// <summary>The OpenCL 1.2 entry points we use, through the ICD loader (libOpenCL.so.1).</summary>
internal static unsafe partial class OpenClNative
{
    private const string Library = "libOpenCL.so.1";

    public const uint PlatformName = 0x0902;
    public const uint PlatformVendor = 0x0903;
    public const ulong DeviceTypeAll = 0xFFFFFFFF;
    public const uint DeviceType = 0x1000;
    public const uint DeviceMaxComputeUnits = 0x1002;
    public const uint DevicePreferredVectorWidthFloat = 0x1008;
    public const uint DeviceMaxClockFrequency = 0x100C;
    public const uint DeviceGlobalMemSize = 0x101F;
    public const uint DeviceName = 0x102B;
    public const uint DeviceVendor = 0x102C;
    public const uint DeviceDoubleFpConfig = 0x1032;
    public const uint ProgramBuildLog = 0x1183;
    public const ulong MemWriteOnly = 1 << 1;
    public const ulong MemReadOnly = 1 << 2;
    public const ulong MemCopyHostPtr = 1 << 5;

    [LibraryImport(Library)]
    public static partial int clGetPlatformIDs(uint entries, nint* platforms, out uint count);

    [LibraryImport(Library)]
    public static partial int clGetPlatformInfo(nint platform, uint name, nuint size, void* value, out nuint sizeReturned);

    [LibraryImport(Library)]
    public static partial int clGetDeviceIDs(nint platform, ulong type, uint entries, nint* devices, out uint count);

    [LibraryImport(Library)]
    public static partial int clGetDeviceInfo(nint device, uint name, nuint size, void* value, out nuint sizeReturned);

    [LibraryImport(Library)]
    public static partial nint clCreateContext(nint* properties, uint deviceCount, nint* devices, nint notify, nint userData, out int status);

    [LibraryImport(Library)]
    public static partial nint clCreateCommandQueue(nint context, nint device, ulong properties, out int status);

    [LibraryImport(Library)]
    public static partial nint clCreateProgramWithSource(nint context, uint count, byte** sources, nuint* lengths, out int status);

    [LibraryImport(Library)]
    public static partial int clBuildProgram(nint program, uint deviceCount, nint* devices, byte* options, nint notify, nint userData);

    [LibraryImport(Library)]
    public static partial int clGetProgramBuildInfo(nint program, nint device, uint name, nuint size, void* value, out nuint sizeReturned);

    [LibraryImport(Library)]
    public static partial nint clCreateKernel(nint program, byte* name, out int status);

    [LibraryImport(Library)]
    public static partial int clSetKernelArg(nint kernel, uint index, nuint size, void* value);

    [LibraryImport(Library)]
    public static partial nint clCreateBuffer(nint context, ulong flags, nuint size, void* host, out int status);

    [LibraryImport(Library)]
    public static partial int clEnqueueNDRangeKernel(nint queue, nint kernel, uint dimensions, nuint* offset, nuint* global, nuint* local, uint waitCount, nint* waitList, nint* evt);

    [LibraryImport(Library)]
    public static partial int clEnqueueReadBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* destination, uint waitCount, nint* waitList, nint* evt);

    [LibraryImport(Library)]
    public static partial int clFinish(nint queue);

    [LibraryImport(Library)]
    public static partial int clReleaseMemObject(nint buffer);

    [LibraryImport(Library)]
    public static partial int clReleaseKernel(nint kernel);

    [LibraryImport(Library)]
    public static partial int clReleaseProgram(nint program);

    [LibraryImport(Library)]
    public static partial int clReleaseCommandQueue(nint queue);

    [LibraryImport(Library)]
    public static partial int clReleaseContext(nint context);
}
