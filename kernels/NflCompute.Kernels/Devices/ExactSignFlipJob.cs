namespace NflCompute.Kernels.Devices;

/// <summary>
/// Exact enumeration of all 2^n sign patterns (n at most 30). Pattern p keeps element i when bit i
/// of p is set; sums are accumulated in double in element order.
/// </summary>
/// <param name="Values">Differences, element-major: <c>Values[i * Models + m]</c>.</param>
/// <param name="Models">Models compared.</param>
/// <param name="Length">Elements per model (n).</param>
/// <param name="Thresholds">Per model, on S+: [greater-or-equal, less-or-equal, |T| high, |T| low].</param>
public sealed record ExactSignFlipJob(double[] Values, int Models, int Length, double[] Thresholds)
{
    /// <summary>Elements per model, 1 to 30 (2^30 patterns is as far as enumeration goes).</summary>
    public int Length { get; } = Length is >= 1 and <= 30
        ? Length
        : throw new ArgumentOutOfRangeException(nameof(Length), Length, "Exact enumeration takes 1..30 elements.");
}
