namespace NflCompute.Jobs;

/// <summary>What a job counts besides its result; the worker exports it on /metrics.</summary>
public interface IJobMetrics
{
    /// <summary>regression-check recorded a regression of <paramref name="model"/> (nflc_regressions_total).</summary>
    void RegressionFound(string model);
}
