namespace NflCompute.Kernels.Nfl;

/// <summary>
/// Many Elo parameter sets over one schedule, one work item per set: the input of
/// <see cref="Devices.ComputeBackend.SweepElo"/>. Holds the schedule packed the way the kernels read it.
/// </summary>
public sealed class EloSweepJob
{
    /// <summary>The most franchises a schedule may have (ratings live in each work item's registers).</summary>
    public const int MaxTeams = 64;

    /// <summary>Packs <paramref name="schedule"/> and <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">No parameter sets, too many franchises, or a parameter out of range.</exception>
    public EloSweepJob(EloSchedule schedule, IReadOnlyList<EloParameters> parameters)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("An Elo sweep needs at least one parameter set.", nameof(parameters));
        }

        if (schedule.Teams > MaxTeams)
        {
            throw new ArgumentException($"The schedule has {schedule.Teams} franchises; a sweep takes at most {MaxTeams}.", nameof(schedule));
        }

        var problems = parameters.SelectMany((p, i) => p.Validate($"parameters[{i}]")).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(parameters));
        }

        Schedule = schedule;
        Parameters = [.. parameters];
        Flags = new int[schedule.Games];
        for (var g = 0; g < schedule.Games; g++)
        {
            Flags[g] = (schedule.Neutral[g] ? 1 : 0) | (schedule.Scored[g] ? 2 : 0) | ((int)schedule.HomeStart[g] << 2) | ((int)schedule.AwayStart[g] << 4) | ((int)schedule.NeutralHost[g] << 6);
        }

        Packed = Parameters.SelectMany(p => new[] { p.K, p.HomeEdge, p.Reversion, p.MarginScale, p.MarginSlope }).ToArray();
    }

    /// <summary>The games.</summary>
    public EloSchedule Schedule { get; }

    /// <summary>The parameter sets, one work item each.</summary>
    public EloParameters[] Parameters { get; }

    /// <summary>Per game: bit 0 neutral, bit 1 scored, bits 2-3 home season start, bits 4-5 away season start, bits 6-7 the neutral-site host (<see cref="NeutralSiteHost"/>).</summary>
    public int[] Flags { get; }

    /// <summary>5 doubles per set: k, home edge, reversion, margin scale, margin slope.</summary>
    public double[] Packed { get; }

    /// <summary>Turns the kernels' per-set sums (squared errors, log losses, games) into scores.</summary>
    public EloScore[] Scores(double[] sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        var scores = new EloScore[Parameters.Length];
        for (var c = 0; c < scores.Length; c++)
        {
            var n = sums[(3 * c) + 2];
            scores[c] = new EloScore(Parameters[c], n == 0 ? double.NaN : sums[3 * c] / n, n == 0 ? double.NaN : sums[(3 * c) + 1] / n, (int)n);
        }

        return scores;
    }
}
