using System.Runtime.CompilerServices;

namespace NflCompute.Kernels.Random;

/// <summary>
/// The one random-number generator of every backend: counter-based, so the value for
/// (seed, stream, resample, index) is a pure function, identical on the CPU, OpenCL and CUDA, and
/// a task gives the same answer wherever and however often it runs.
/// </summary>
/// <remarks>
/// Each resample gets two 32-bit keys from the SplitMix64 finalizer of (seed, stream, resample).
/// Its 32-bit words are two rounds of Wellons' lowbias32 mixer over a Weyl sequence:
/// <c>word(j) = mix32(mix32(k1 + j * 0x9E3779B9) ^ k2)</c> (and a one-round <see cref="DrawWord"/>
/// for bootstrap draws). Two resamples share a sequence only if
/// both keys collide (2^-64). 32-bit words keep the kernels free of 64-bit vector multiplies, which
/// AVX2 lacks. The same formulas are in kernels/cl/prelude.h.
/// </remarks>
public static class CounterRng
{
    /// <summary>The Weyl increment (2^32 / golden ratio).</summary>
    public const uint Weyl = 0x9E3779B9u;

    /// <summary>SplitMix64's finalizer: a bijection on 64 bits with full avalanche.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix64(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ul;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBul;
        return x ^ (x >> 31);
    }

    /// <summary>Wellons' lowbias32: a bijection on 32 bits with low bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix32(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15;
        x *= 0x846CA68Bu;
        return x ^ (x >> 16);
    }

    /// <summary>The two keys of one resample of one stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint K1, uint K2) Keys(ulong seed, ulong stream, ulong resample)
    {
        var k = Mix64(seed ^ Mix64(stream + 0x632BE59BD9B4E019ul) ^ Mix64(resample + 0x8CB92BA72F3D8DD7ul));
        return ((uint)k, (uint)(k >> 32));
    }

    /// <summary>
    /// Word <paramref name="index"/> of a resample's draw sequence (bootstrap indices): one round of
    /// the mixer over the keyed Weyl sequence, <c>mix32((k1 + j * 0x9E3779B9) ^ k2)</c>. Draws need a
    /// word per element, so they get the cheaper of the two; sign flips need one per 32 elements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint DrawWord(uint k1, uint k2, uint index) => Mix32((k1 + (index * Weyl)) ^ k2);

    /// <summary>Word <paramref name="index"/> of a resample's sequence.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Word(uint k1, uint k2, uint index) => Mix32(Mix32(k1 + (index * Weyl)) ^ k2);

    /// <summary>Maps a uniform 32-bit word to [0, n) by multiply-shift (bias below n / 2^32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Below(uint word, int n) => (int)(((ulong)word * (uint)n) >> 32);
}
