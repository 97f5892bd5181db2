using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace NflCompute.Kernels.Ilgpu;

/// <summary>
/// ILGPU binds the OpenCL library by the name "OpenCL" and the CUDA driver by "nvcuda"; Debian's
/// ICD loader ships only libOpenCL.so.1 and NVIDIA's driver libcuda.so.1 (the unversioned names
/// come with the -dev packages). When the default lookup fails, these map the names to the
/// versioned files, so a worker needs no development package to find its devices.
/// </summary>
internal static class NativeLibraries
{
    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["OpenCL"] = ["libOpenCL.so.1"],
        ["nvcuda"] = ["libcuda.so.1", "libcuda.so"],
    };

    private static int _installed;

    /// <summary>Installs the fallback once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
        }
    }

    private static nint Resolve(Assembly assembly, string name)
    {
        if (Aliases.TryGetValue(name, out var files))
        {
            foreach (var file in files)
            {
                if (NativeLibrary.TryLoad(file, out var handle))
                {
                    return handle;
                }
            }
        }

        return 0;
    }
}
