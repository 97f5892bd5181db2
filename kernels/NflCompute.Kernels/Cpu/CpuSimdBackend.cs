using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    // One compute thread per core: more only queue behind each other, and an unbounded Parallel.For
    // keeps every pool thread, starving the host's timers (a worker's heartbeats) for seconds.
    // Parallel.For checks the token between iterations, each a few milliseconds of work.
    private static ParallelOptions OnePerCore(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };

    // Items (passes or patterns) per iteration of CountInParallel: a few milliseconds, so a cancel is seen quickly.
    private const long MaxChunk = 4096;

    /// <summary>This machine's CPU as a device: known without opening a backend.</summary>
    public static HardwareProfile Device { get; } = new()
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
    public override HardwareProfile Profile => Device;

    // Resample groups handled together: independent float-add chains keep the adder busy, while
    // each lane still sums its own resample's elements in order.
    private const int Interleave = 4;

    /// <inheritdoc />
    public override SignFlipCounts[] CountSignFlips(SignFlipJob job, CancellationToken cancellationToken = default)
    {
        var span = Lanes * Interleave;
        var accumulators = new ThreadLocal<Vector<float>[]>(() => new Vector<float>[job.Models * Interleave]);
        using (accumulators)
        {
            return CountInParallel((job.Resamples + span - 1) / span, job.Models, 8, (pass, counts) =>
                SignFlipPass(job, pass * span, accumulators.Value!, counts), cancellationToken);
        }
    }

    // Runs body(item, counts) for items 0..count-1 across cores, each worker adding into its own
    // [model][greater, less, abs] slots, and adds the workers' slots up.
    private static SignFlipCounts[] CountInParallel(long count, int models, int chunksPerCore, Action<long, long[]> body, CancellationToken cancellationToken)
    {
        var chunk = Math.Clamp(count / (Environment.ProcessorCount * chunksPerCore), 1, MaxChunk);
        var workers = new System.Collections.Concurrent.ConcurrentBag<long[]>();
        Parallel.For(0, (count + chunk - 1) / chunk, OnePerCore(cancellationToken), () => new long[models * 3], (c, _, slots) =>
        {
            var end = Math.Min(count, (c + 1) * chunk);
            for (var item = c * chunk; item < end; item++)
            {
                body(item, slots);
            }

            return slots;
        }, workers.Add);
        return SignFlipCounts.FromSlots([.. workers.SelectMany(w => w)], models);
    }

    // One pass: Interleave groups of SIMD lanes; lane l of group g is resample first + g * Lanes + l.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SignFlipPass(SignFlipJob job, long first, Vector<float>[] acc, long[] counts)
    {
        Span<uint> k1 = stackalloc uint[Lanes * Interleave];
        Span<uint> k2 = stackalloc uint[Lanes * Interleave];
        for (var l = 0; l < k1.Length; l++)
        {
            (k1[l], k2[l]) = CounterRng.Keys(job.Seed, job.Stream, (ulong)(first + l));
        }

        Array.Clear(acc);
        if (job.Models == 1)
        {
            SumOneModel(job, k1, k2, acc);
        }
        else
        {
            SumManyModels(job, k1, k2, acc);
        }

        for (var g = 0; g < Interleave; g++)
        {
            var live = (int)Math.Clamp(job.Resamples - first - (g * Lanes), 0, Lanes);
            var liveMask = Vector.LessThan(LaneIndex, new Vector<int>(live));
            for (var m = 0; m < job.Models; m++)
            {
                var sum = acc[(m * Interleave) + g];
                var t = job.Thresholds.AsSpan(m * 4, 4);
                counts[3 * m] += Count(Vector.GreaterThanOrEqual(sum, new Vector<float>(t[0])) & liveMask);
                counts[(3 * m) + 1] += Count(Vector.LessThanOrEqual(sum, new Vector<float>(t[1])) & liveMask);
                var extreme = Vector.GreaterThanOrEqual(sum, new Vector<float>(t[2])) | Vector.LessThanOrEqual(sum, new Vector<float>(t[3]));
                counts[(3 * m) + 2] += Count(extreme & liveMask);
            }
        }
    }

    // Hot kernels skip tiering: each pass is a new call, and Tier-0 code is many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumOneModel(SignFlipJob job, ReadOnlySpan<uint> k1, ReadOnlySpan<uint> k2, Vector<float>[] acc)
    {
        var tables = job.Tables;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (var block = 0; block * 10 < job.Triples; block++)
        {
            var step = new Vector<uint>((uint)block * CounterRng.Weyl);
            var w0 = Word(k1, k2, 0, step);
            var w1 = Word(k1, k2, 1, step);
            var w2 = Word(k1, k2, 2, step);
            var w3 = Word(k1, k2, 3, step);
            for (var t = 0; t < 10; t++)
            {
                // Each lane's 3 bits pick its triple's sum from the 8 entries.
                var entries = new Vector<float>(tables, ((block * 10) + t) * 8);
                var shift = 27 - (3 * t);
                a0 += Pick(entries, w0 >> shift);
                a1 += Pick(entries, w1 >> shift);
                a2 += Pick(entries, w2 >> shift);
                a3 += Pick(entries, w3 >> shift);
            }
        }

        (acc[0], acc[1], acc[2], acc[3]) = (a0, a1, a2, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumManyModels(SignFlipJob job, ReadOnlySpan<uint> k1, ReadOnlySpan<uint> k2, Vector<float>[] acc)
    {
        var models = job.Models;
        var tables = job.Tables;
        Span<Vector<uint>> words = stackalloc Vector<uint>[Interleave];
        for (var block = 0; block * 10 < job.Triples; block++)
        {
            var step = new Vector<uint>((uint)block * CounterRng.Weyl);
            for (var g = 0; g < Interleave; g++)
            {
                words[g] = Word(k1, k2, g, step);
            }

            for (var t = 0; t < 10; t++)
            {
                var shift = 27 - (3 * t);
                Vector<uint> i0 = words[0] >> shift, i1 = words[1] >> shift, i2 = words[2] >> shift, i3 = words[3] >> shift;
                var row = ((block * 10) + t) * models;
                for (var m = 0; m < models; m++)
                {
                    var entries = new Vector<float>(tables, (row + m) * 8);
                    var slot = m * Interleave;
                    acc[slot] += Pick(entries, i0);
                    acc[slot + 1] += Pick(entries, i1);
                    acc[slot + 2] += Pick(entries, i2);
                    acc[slot + 3] += Pick(entries, i3);
                }
            }
        }
    }

    // Lane l gets entries[index_l & 7]: one vpermps on AVX2 (it reads the low 3 bits).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Pick(Vector<float> entries, Vector<uint> index)
    {
        if (Avx2.IsSupported && Vector<float>.Count == 8)
        {
            return Avx2.PermuteVar8x32(entries.AsVector256(), index.AsVector256().AsInt32()).AsVector();
        }

        Span<float> picked = stackalloc float[Vector<float>.Count];
        for (var l = 0; l < picked.Length; l++)
        {
            picked[l] = entries[(int)(index[l] & 7)];
        }

        return new Vector<float>(picked);
    }

    private static Vector<uint> Word(ReadOnlySpan<uint> k1, ReadOnlySpan<uint> k2, int group, Vector<uint> step) =>
        Mix32(Mix32(new Vector<uint>(k1.Slice(group * Lanes, Lanes)) + step) ^ new Vector<uint>(k2.Slice(group * Lanes, Lanes)));

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
    public override SignFlipCounts[] CountAllSignFlips(ExactSignFlipJob job, CancellationToken cancellationToken = default)
    {
        return CountInParallel(1L << job.Length, job.Models, 16, (p, counts) =>
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
        }, cancellationToken);
    }

    /// <inheritdoc />
    public override Nfl.EloScore[] SweepElo(Nfl.EloSweepJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sets = job.Parameters.Length;
        var sums = new double[sets * 3];
        var lnMargin = job.Schedule.Margin.Select(m => Math.Log(Math.Max(m, 1) + 1)).ToArray();

        // Each set is a chain of dependent games; four sets share a vector (one lane each, same
        // games), and cores take groups of four.
        Parallel.For(0, (sets + 3) / 4, OnePerCore(cancellationToken), () => new Vector256<double>[job.Schedule.Teams], (group, _, ratings) =>
        {
            SweepFour(job, group * 4, lnMargin, ratings, sums);
            return ratings;
        }, _ => { });
        return job.Scores(sums);
    }

    // Sets first..first+3 (the last set repeats where the sets run out), the vector twin of EloEngine.Score.
    private static void SweepFour(Nfl.EloSweepJob job, int first, double[] lnMargin, Vector256<double>[] ratings, double[] sums)
    {
        var s = job.Schedule;
        var last = job.Parameters.Length - 1;
        Vector256<double> Lane(Func<Nfl.EloParameters, double> field) => Vector256.Create(
            field(job.Parameters[Math.Min(first, last)]), field(job.Parameters[Math.Min(first + 1, last)]),
            field(job.Parameters[Math.Min(first + 2, last)]), field(job.Parameters[Math.Min(first + 3, last)]));
        var (k, edge, reversion) = (Lane(p => p.K), Lane(p => p.HomeEdge), Lane(p => p.Reversion));
        var (scale, slope) = (Lane(p => p.MarginScale), Lane(p => p.MarginSlope));
        var (keep, toMean) = (Vector256<double>.One - reversion, reversion * Nfl.EloParameters.Mean);
        var (one, newTeam) = (Vector256<double>.One, Vector256.Create(Nfl.EloParameters.NewTeamRating));
        var (low, high) = (Vector256.Create(Nfl.EloEngine.Epsilon), Vector256.Create(1 - Nfl.EloEngine.Epsilon));
        var toExponent = Vector256.Create(-Math.Log(10) / 400);
        for (var t = 0; t < ratings.Length; t++)
        {
            ratings[t] = Vector256.Create(s.Seeds[t]);
        }

        var (brier, logLoss, n) = (Vector256<double>.Zero, Vector256<double>.Zero, 0);
        for (var g = 0; g < s.Games; g++)
        {
            ref var home = ref ratings[s.Home[g]];
            ref var away = ref ratings[s.Away[g]];
            home = Start(home, s.HomeStart[g], keep, toMean, newTeam);
            away = Start(away, s.AwayStart[g], keep, toMean, newTeam);
            var d = home - away + (s.Neutral[g] ? Vector256<double>.Zero : edge);
            var p = one / (Vector256.Exp(d * toExponent) + one);
            var r = s.Outcome[g];
            if (double.IsNaN(r))
            {
                continue;
            }

            var y = Vector256.Create(r);
            if (s.Scored[g])
            {
                brier += (p - y) * (p - y);
                var q = Vector256.Min(Vector256.Max(p, low), high);
                logLoss -= r == 1 ? Vector256.Log(q) : r == 0 ? Vector256.Log(one - q) : (y * Vector256.Log(q)) + ((one - y) * Vector256.Log(one - q));
                n++;
            }

            // At a hosted neutral site the update sees the host's edge (EloEngine.UpdateShift).
            if (s.NeutralHost[g] != Nfl.NeutralSiteHost.None)
            {
                d = s.NeutralHost[g] == Nfl.NeutralSiteHost.Home ? d + edge : d - edge;
                p = one / (Vector256.Exp(d * toExponent) + one);
            }

            var divisor = r == 0.5 ? one : ((r == 1 ? d : -d) * slope) + scale;
            var shift = k * (Vector256.Create(lnMargin[g]) * scale / divisor) * (y - p);
            home += shift;
            away -= shift;
        }

        for (var lane = 0; lane < 4 && first + lane <= last; lane++)
        {
            var c = first + lane;
            (sums[3 * c], sums[(3 * c) + 1], sums[(3 * c) + 2]) = (brier[lane], logLoss[lane], n);
        }
    }

    private static Vector256<double> Start(Vector256<double> rating, Nfl.SeasonStart start, Vector256<double> keep, Vector256<double> toMean, Vector256<double> newTeam) => start switch
    {
        Nfl.SeasonStart.Revert => (keep * rating) + toMean,
        Nfl.SeasonStart.NewTeam => newTeam,
        _ => rating,
    };

    /// <inheritdoc />
    public override Nfl.SeasonSimResult SimulateSeasons(Nfl.SeasonSimJob job, CancellationToken cancellationToken = default) => Nfl.SeasonSimulator.Run(job, cancellationToken);

    /// <inheritdoc />
    public override double[] BootstrapMeans(BootstrapJob job, CancellationToken cancellationToken = default)
    {
        var means = new double[job.Resamples];
        var groups = (job.Resamples + Lanes - 1) / Lanes;
        Parallel.For(0, (groups + 31) / 32, OnePerCore(cancellationToken), c =>
        {
            var end = Math.Min(groups, (c + 1) * 32);
            for (var g = c * 32; g < end; g++)
            {
                BootstrapGroup(job, g * Lanes, means);
            }
        });
        return means;
    }

    // Lane l draws for resample first + l; each lane sums its draws in order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BootstrapGroup(BootstrapJob job, long first, double[] means)
    {
        var n = job.Values.Length;
        Span<uint> k1 = stackalloc uint[Lanes];
        Span<uint> k2 = stackalloc uint[Lanes];
        for (var l = 0; l < Lanes; l++)
        {
            (k1[l], k2[l]) = CounterRng.Keys(job.Seed, job.Stream, (ulong)(first + l));
        }

        Span<double> sums = stackalloc double[Lanes];
        if (Avx2.IsSupported && Lanes == 8)
        {
            SumDrawsAvx2(job.Values, new Vector<uint>(k1).AsVector256(), new Vector<uint>(k2).AsVector256(), sums);
        }
        else
        {
            for (var l = 0; l < Lanes; l++)
            {
                for (var j = 0; j < n; j++)
                {
                    sums[l] += job.Values[CounterRng.Below(CounterRng.DrawWord(k1[l], k2[l], (uint)j), n)];
                }
            }
        }

        var live = (int)Math.Min(Lanes, job.Resamples - first);
        for (var l = 0; l < live; l++)
        {
            means[first + l] = sums[l] / n;
        }
    }

    // Eight lanes: the draw words and their multiply-high indices in SIMD, the values by gather.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SumDrawsAvx2(double[] values, Vector256<uint> key1, Vector256<uint> key2, Span<double> sums)
    {
        var n = values.Length;
        var count = Vector256.Create((uint)n);
        var weyl = Vector256.Create(CounterRng.Weyl);
        var counter = Vector256<uint>.Zero;
        Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
        fixed (double* v = values)
        {
            for (var j = 0; j < n; j++)
            {
                var x = (key1 + counter) ^ key2;
                counter += weyl;
                x ^= x >> 16;
                x *= 0x7FEB352Du;
                x ^= x >> 15;
                x *= 0x846CA68Bu;
                x ^= x >> 16;

                // (word * n) >> 32 per lane: even lanes from one vpmuludq, odd lanes from another.
                var even = Avx2.Multiply(x, count).AsUInt32();
                var odd = Avx2.Multiply(Avx2.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), count).AsUInt32();
                var index = Avx2.Blend(Avx2.ShiftRightLogical(even.AsUInt64(), 32).AsUInt32(), odd, 0b10101010).AsInt32();
                low += Avx2.GatherVector256(v, index.GetLower(), 8);
                high += Avx2.GatherVector256(v, index.GetUpper(), 8);
            }
        }

        low.CopyTo(sums);
        high.CopyTo(sums[4..]);
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
