using NflCompute.Core.Jobs;
using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Nfl;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.EloSweep;

/// <summary>
/// <c>elo-sweep</c>: every combination of the given Elo constants run over 1999..toSeason and scored
/// by Brier and log loss on the games of scoreFromSeason..toSeason, all combinations in one launch
/// on the worker's device (one work item each). The result holds the best set by each score, 538's
/// classic set for reference, and the whole surface.
/// </summary>
public sealed class EloSweepHandler(GameStore games) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.EloSweep;

    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <summary>The combinations a payload asks for, in axis order (k slowest, margin slope fastest).</summary>
    /// <exception cref="JobInputException">An axis is empty or a value is out of range.</exception>
    public static IReadOnlyList<EloParameters> Combinations(EloSweepSpec payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var c = EloParameters.Classic;
        IReadOnlyList<double> Axis(IReadOnlyList<double>? values, double classic, string name) =>
            values is null ? [classic] : values.Count > 0 ? values : throw new JobInputException($"payload.{name} is empty; give at least one value or leave it out for 538's.");
        var (k, edge, reversion, scale, slope) = (Axis(payload.K, c.K, "k"), Axis(payload.HomeEdge, c.HomeEdge, "homeEdge"), Axis(payload.Reversion, c.Reversion, "reversion"), Axis(payload.MarginScale, c.MarginScale, "marginScale"), Axis(payload.MarginSlope, c.MarginSlope, "marginSlope"));
        var count = (long)k.Count * edge.Count * reversion.Count * scale.Count * slope.Count; // bounded by Jobs:MaxSweepSets when the payload was read

        var sets = new List<EloParameters>((int)count);
        foreach (var a in k)
        {
            foreach (var b in edge)
            {
                foreach (var r in reversion)
                {
                    foreach (var s in scale)
                    {
                        foreach (var m in slope)
                        {
                            sets.Add(new EloParameters(a, b, r, s, m));
                        }
                    }
                }
            }
        }

        var problems = sets.Distinct().SelectMany(p => p.Validate("payload")).Distinct().ToList();
        return problems.Count == 0 ? sets : throw new JobInputException(string.Join(" ", problems));
    }

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobPayload.Parse<EloSweepSpec>(context, TaskKind);
        var sets = Combinations(payload);
        var played = await NflGames.ThroughAsync(games, payload.ToSeason, context.CancellationToken).ConfigureAwait(false);
        var built = EloInputs.Build(played, payload.ScoreFromSeason, payload.ToSeason ?? int.MaxValue);
        context.Report(0.1, $"sweeping {sets.Count:N0} parameter sets");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scores = context.Device.SweepElo(new EloSweepJob(built.Schedule, sets), context.CancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        if (scores[0].Games == 0)
        {
            throw new JobInputException($"no played games between payload.scoreFromSeason {payload.ScoreFromSeason} and payload.toSeason {payload.ToSeason}.");
        }

        static object Row(EloScore s) => new { s.Parameters.K, s.Parameters.HomeEdge, s.Parameters.Reversion, s.Parameters.MarginScale, s.Parameters.MarginSlope, s.Brier, s.LogLoss };
        return JobJson.Serialize(new
        {
            device = context.Device.Profile.Name,
            combinations = sets.Count,
            gamesScored = scores[0].Games,
            payload.ScoreFromSeason,
            toSeason = played[^1].Season,
            kernelSeconds = seconds,
            combinationsPerSecond = sets.Count / seconds,
            bestByBrier = Row(scores.MinBy(s => s.Brier)),
            bestByLogLoss = Row(scores.MinBy(s => s.LogLoss)),
            classic = Row(EloEngine.Score(built.Schedule, EloParameters.Classic)),
            surface = scores.Select(Row),
        });
    }
}
