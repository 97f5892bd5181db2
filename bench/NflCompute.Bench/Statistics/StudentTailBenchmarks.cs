using BenchmarkDotNet.Attributes;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Bench.Statistics;

/// <summary>One Student t tail: StudentTail (to about 1e-15) against MathNet's (about 1e-12 at best), at small and large df.</summary>
public class StudentTailBenchmarks
{
    [Params(19.0, 1999.0, 999_999.0)]
    public double DegreesOfFreedom { get; set; }

    [Params(1.7, 4.0)]
    public double T { get; set; }

    [Benchmark(Baseline = true)]
    public double MathNet() => global::MathNet.Numerics.Distributions.StudentT.CDF(0, 1, DegreesOfFreedom, -T);

    [Benchmark]
    public double StudentTailUpper() => StudentTail.Upper(T, DegreesOfFreedom);
}
