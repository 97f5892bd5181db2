using System.Diagnostics.Metrics;

namespace NflCompute.Jobs;

/// <summary>What jobs count, on the meter <see cref="MeterName"/> (the worker exports it on /metrics).</summary>
public static class JobMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "NflCompute.Jobs";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Regressions recorded by regression-check: label model.</summary>
    public static Counter<long> Regressions { get; } = Meter.CreateCounter<long>("nflc_regressions_total", description: "Model regressions recorded by regression-check, by model.");
}
