namespace NflCompute.Kernels.Statistics;

/// <summary>A paired bootstrap of the mean difference.</summary>
/// <param name="Estimate">mean(d).</param>
/// <param name="Level">The confidence level, e.g. 0.95.</param>
/// <param name="Resamples">Resamples B.</param>
/// <param name="PercentileLow">Percentile interval, low end (linear interpolation, as numpy).</param>
/// <param name="PercentileHigh">Percentile interval, high end.</param>
/// <param name="BcaLow">BCa interval, low end.</param>
/// <param name="BcaHigh">BCa interval, high end.</param>
/// <param name="Z0">BCa bias correction.</param>
/// <param name="Acceleration">BCa acceleration from the jackknife.</param>
/// <param name="StandardError">Standard deviation of the bootstrap means (ddof 1).</param>
public sealed record BootstrapResult(double Estimate, double Level, long Resamples, double PercentileLow, double PercentileHigh, double BcaLow, double BcaHigh, double Z0, double Acceleration, double StandardError);
