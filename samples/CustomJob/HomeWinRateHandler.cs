using NflCompute.Core.Jobs;
using NflCompute.Jobs;

namespace Samples.CustomJob;

/// <summary>Runs <c>home-win-rate</c> on a worker: reads the outcomes dataset, checks every value, counts.</summary>
public sealed class HomeWinRateHandler : IJobHandler
{
    // The 97.5th percentile of the standard normal: a two-sided 95% interval.
    private const double Z = 1.959963984540054;

    /// <inheritdoc />
    public string Kind => HomeWinRateSpec.KindName;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A payload that is not a home-win-rate spec, or a value that is not 0 or 1, is the
        // modeler's to fix: JobInputException sends the task to the dead-letter queue with the
        // message, without retrying it.
        var spec = JobPayload.Parse<HomeWinRateSpec>(context, Kind);
        var outcomes = await context.Datasets.GetAsync(spec.Outcomes, context.CancellationToken);
        if (outcomes.Length == 0)
        {
            throw new JobInputException("payload.outcomes is empty; give at least one game.");
        }

        var wins = 0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            wins += outcomes[i] switch
            {
                1 => 1,
                0 => 0,
                var v => throw new JobInputException($"payload.outcomes[{i}] is {v}; an outcome is 1 (home win) or 0 (loss)."),
            };
        }

        return JobJson.Serialize(Wilson(wins, outcomes.Length));
    }

    /// <summary>The Wilson score interval of <paramref name="wins"/> in <paramref name="games"/>.</summary>
    public static HomeWinRate Wilson(int wins, int games)
    {
        var (n, p) = ((double)games, (double)wins / games);
        var centre = (p + (Z * Z / (2 * n))) / (1 + (Z * Z / n));
        var half = Z / (1 + (Z * Z / n)) * Math.Sqrt((p * (1 - p) / n) + (Z * Z / (4 * n * n)));
        return new HomeWinRate(games, wins, p, centre - half, centre + half);
    }
}
