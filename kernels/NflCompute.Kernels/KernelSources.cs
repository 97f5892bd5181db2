using System.Text;

namespace NflCompute.Kernels;

/// <summary>Kernel sources from kernels/cl, embedded at build, each with prelude.h in front.</summary>
internal static class KernelSources
{
    /// <summary>Every kernel (statistics.cl, nfl.cl) with the prelude: one program per device.</summary>
    public static string All { get; } = Read("prelude.h") + "\n" + Read("statistics.cl") + "\n" + Read("nfl.cl");

    private static string Read(string file)
    {
        var assembly = typeof(KernelSources).Assembly;
        using var stream = assembly.GetManifestResourceStream("cl/" + file)
            ?? throw new InvalidOperationException($"kernels/cl/{file} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
