using System.Numerics;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.Cpu;

/// <summary>
/// The CPU backend: System.Numerics.Vector across cores. Resamples run in SIMD lanes and each
/// lane walks the elements in order, which is the canonical order every backend follows, so the
/// float32 sums (and so the counts) are the same as on a GPU. The lane width is the runtime's
/// <see cref="Vector{T}"/> (256 bits with AVX2; 512 with AVX-512 when
/// <c>DOTNET_PreferredVectorBitWidth=512</c>).
/// </summary>
public sealed class CpuSimdBackend : ComputeBackend
{
    private static readonly int Lanes = Vector<float>.Count;

    /// <inheritdoc />
    public override HardwareProfile Profile { get; } = new()
    {
        Backend = BackendKind.CpuSimd,
        Name = CpuName(),
        Vendor = "cpu",
        GlobalMemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        ComputeUnits = Environment.ProcessorCount,
        SupportsDouble = true,
        SimdWidth = Vector<float>.Count,
    };

    /// <inheritdoc />
    public override SignFlipCounts[] CountSignFlips(SignFlipJob job)
    {
        var groups = (job.Resamples + Lanes - 1) / Lanes;
        var chunk = Math.Max(1, groups / (Environment.ProcessorCount * 8));
        var total = new long[job.Models * 3];
        Parallel.For(0, (groups + chunk - 1) / chunk, () => new long[job.Models * 3], (c, _, counts) =>
        {
            var accumulators = new Vector<float>[job.Models];
            var end = Math.Min(groups, (c + 1) * chunk);
            for (var g = c * chunk; g < end; g++)
            {
                SignFlipGroup(job, g * Lanes, accumulators, counts);
            }

            return counts;
        }, counts =>
        {
            lock (total)
            {
                for (var i = 0; i < total.Length; i++)
                {
                    total[i] += counts[i];
                }
            }
        });
        return ToCounts(total, job.Models);
    }

    // One SIMD group of resamples: lane l is resample first + l.
    private static void SignFlipGroup(SignFlipJob job, long first, Vector<float>[] acc, long[] counts)
    {
        Span<uint> k1 = stackalloc uint[Lanes];
        Span<uint> k2 = stackalloc uint[Lanes];
        for (var l = 0; l < Lanes; l++)
        {
            (k1[l], k2[l]) = CounterRng.Keys(job.Seed, job.Stream, (ulong)(first + l));
        }

        var key1 = new Vector<uint>(k1);
        var key2 = new Vector<uint>(k2);
        Array.Clear(acc);
        var models = job.Models;
        var values = job.Values;
        for (var block = 0; block * 32 < job.Length; block++)
        {
            // Bit 31 - k of the word decides element 32 * block + k; shifting left brings each to the sign bit.
            var word = Mix32(Mix32(key1 + new Vector<uint>((uint)block * CounterRng.Weyl)) ^ key2);
            var end = Math.Min(job.Length, (block + 1) * 32);
            for (var i = block * 32; i < end; i++)
            {
                var keep = Vector.LessThan(Vector.AsVectorInt32(word), Vector<int>.Zero);
                var row = i * models;
                for (var m = 0; m < models; m++)
                {
                    acc[m] += Vector.ConditionalSelect(keep, new Vector<float>(values[row + m]), Vector<float>.Zero);
                }

                word <<= 1;
            }
        }

        var live = (int)Math.Min(Lanes, job.Resamples - first);
        var liveMask = Vector.LessThan(LaneIndex, new Vector<int>(live));
        for (var m = 0; m < models; m++)
        {
            var t = job.Thresholds.AsSpan(m * 4, 4);
            counts[3 * m] += Count(Vector.GreaterThanOrEqual(acc[m], new Vector<float>(t[0])) & liveMask);
            counts[(3 * m) + 1] += Count(Vector.LessThanOrEqual(acc[m], new Vector<float>(t[1])) & liveMask);
            var extreme = Vector.GreaterThanOrEqual(acc[m], new Vector<float>(t[2])) | Vector.LessThanOrEqual(acc[m], new Vector<float>(t[3]));
            counts[(3 * m) + 2] += Count(extreme & liveMask);
        }
    }

    private static readonly Vector<int> LaneIndex = new(Enumerable.Range(0, Vector<int>.Count).ToArray());

    private static long Count(Vector<int> mask) => -Vector.Sum(mask);

    private static Vector<uint> Mix32(Vector<uint> x)
    {
        x ^= x >> 16;
        x *= new Vector<uint>(0x7FEB352Du);
        x ^= x >> 15;
        x *= new Vector<uint>(0x846CA68Bu);
        return x ^ (x >> 16);
    }

    /// <inheritdoc />
    public override SignFlipCounts[] CountAllSignFlips(ExactSignFlipJob job)
    {
        if (job.Length is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(job), job.Length, "Exact enumeration takes 1..30 elements.");
        }

        var patterns = 1L << job.Length;
        var chunk = Math.Max(1, patterns / (Environment.ProcessorCount * 16));
        var total = new long[job.Models * 3];
        Parallel.For(0, (patterns + chunk - 1) / chunk, () => new long[job.Models * 3], (c, _, counts) =>
        {
            var end = Math.Min(patterns, (c + 1) * chunk);
            for (var p = c * chunk; p < end; p++)
            {
                for (var m = 0; m < job.Models; m++)
                {
                    var sum = 0.0;
                    for (var i = 0; i < job.Length; i++)
                    {
                        if (((p >> i) & 1) != 0)
                        {
                            sum += job.Values[(i * job.Models) + m];
                        }
                    }

                    var t = job.Thresholds.AsSpan(m * 4, 4);
                    counts[3 * m] += sum >= t[0] ? 1 : 0;
                    counts[(3 * m) + 1] += sum <= t[1] ? 1 : 0;
                    counts[(3 * m) + 2] += sum >= t[2] || sum <= t[3] ? 1 : 0;
                }
            }

            return counts;
        }, counts =>
        {
            lock (total)
            {
                for (var i = 0; i < total.Length; i++)
                {
                    total[i] += counts[i];
                }
            }
        });
        return ToCounts(total, job.Models);
    }

    /// <inheritdoc />
    public override double[] BootstrapMeans(BootstrapJob job)
    {
        var n = job.Values.Length;
        var means = new double[job.Resamples];
        Parallel.For(0, (job.Resamples + 255) / 256, c =>
        {
            var end = Math.Min(job.Resamples, (c + 1) * 256);
            for (var r = c * 256; r < end; r++)
            {
                var (k1, k2) = CounterRng.Keys(job.Seed, job.Stream, (ulong)r);
                var sum = 0.0;
                for (var j = 0; j < n; j++)
                {
                    sum += job.Values[CounterRng.Below(CounterRng.Word(k1, k2, (uint)j), n)];
                }

                means[r] = sum / n;
            }
        });
        return means;
    }

    private static SignFlipCounts[] ToCounts(long[] total, int models)
    {
        var result = new SignFlipCounts[models];
        for (var m = 0; m < models; m++)
        {
            result[m] = new SignFlipCounts(total[3 * m], total[(3 * m) + 1], total[(3 * m) + 2]);
        }

        return result;
    }

    private static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "cpu";
        }
        catch (IOException)
        {
            return "cpu";
        }
    }
}
