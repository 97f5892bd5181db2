namespace NflCompute.Kernels.Devices;

/// <summary>
/// Monte Carlo sign-flip resampling of m models' paired differences in one launch. For resample r
/// and element i the sign is bit (31 - i % 32) of <see cref="Random.CounterRng.Word"/>(r, i / 32):
/// 1 keeps the difference. Each resample's sum S+ of the kept differences is accumulated in float32
/// in element order, and compared with float32 thresholds, so every backend counts identically.
/// </summary>
/// <param name="Values">Differences, element-major: <c>Values[i * Models + m]</c>.</param>
/// <param name="Models">Models compared (m).</param>
/// <param name="Length">Elements per model (n).</param>
/// <param name="Resamples">Resamples (B).</param>
/// <param name="Seed">The task's seed.</param>
/// <param name="Stream">The stream within the task (e.g. one per comparison).</param>
/// <param name="Thresholds">Per model, on S+: [greater-or-equal, less-or-equal, |T| high, |T| low].</param>
public sealed record SignFlipJob(float[] Values, int Models, int Length, long Resamples, ulong Seed, ulong Stream, float[] Thresholds);
