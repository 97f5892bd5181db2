namespace NflCompute.Kernels.Devices;

/// <summary>
/// Paired bootstrap of the mean: resample r draws element <c>Below(DrawWord(r, j), n)</c> for
/// j = 0..n-1 and sums them in double in draw order, so every backend returns the same means.
/// </summary>
/// <param name="Values">The n paired differences.</param>
/// <param name="Resamples">Resamples (B).</param>
/// <param name="Seed">The task's seed.</param>
/// <param name="Stream">The stream within the task.</param>
public sealed record BootstrapJob(double[] Values, long Resamples, ulong Seed, ulong Stream);
