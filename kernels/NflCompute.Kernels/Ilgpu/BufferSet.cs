using ILGPU;
using ILGPU.Runtime;

namespace NflCompute.Kernels.Ilgpu;

/// <summary>The device buffers of one launch, freed together.</summary>
internal sealed class BufferSet(Accelerator accelerator) : IDisposable
{
    private readonly List<MemoryBuffer> _buffers = [];

    /// <summary>Copies <paramref name="values"/> to the device (an empty array becomes one zero: no zero-length buffers).</summary>
    public ArrayView<T> Upload<T>(T[] values)
        where T : unmanaged
    {
        var buffer = accelerator.Allocate1D(values.Length == 0 ? new T[1] : values);
        _buffers.Add(buffer);
        return buffer.View.SubView(0, values.Length);
    }

    /// <summary>A zeroed buffer of <paramref name="length"/> elements.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Zeros<T>(long length)
        where T : unmanaged
    {
        var buffer = accelerator.Allocate1D<T>(Math.Max(length, 1));
        buffer.MemSetToZero();
        _buffers.Add(buffer);
        return buffer;
    }

    public void Dispose() => _buffers.ForEach(b => b.Dispose());
}
