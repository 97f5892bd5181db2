using System.Runtime.CompilerServices;

namespace NflCompute.Kernels.Nfl;

/// <summary>One game as Elo saw it.</summary>
/// <param name="HomePre">Home rating before the game (after any season start).</param>
/// <param name="AwayPre">Away rating before the game.</param>
/// <param name="HomeWinProbability">p = 1 / (10^(-d/400) + 1).</param>
/// <param name="Spread">Elo point spread, d / 25 (home favoured when positive).</param>
/// <param name="HomePost">Home rating after the game (the pre-game one while unplayed).</param>
/// <param name="AwayPost">Away rating after the game.</param>
public readonly record struct EloGame(double HomePre, double AwayPre, double HomeWinProbability, double Spread, double HomePost, double AwayPost);

/// <summary>Forecast quality of one parameter set over the scored games.</summary>
/// <param name="Parameters">The parameter set.</param>
/// <param name="Brier">Mean squared error of the home win probability.</param>
/// <param name="LogLoss">Mean log loss (probabilities clipped to [1e-15, 1 - 1e-15]).</param>
/// <param name="Games">Scored games.</param>
public readonly record struct EloScore(EloParameters Parameters, double Brier, double LogLoss, int Games);

/// <summary>
/// Classic FiveThirtyEight NFL Elo in double precision, the reference every backend's sweep kernel
/// follows operation for operation. A game's published probability uses its site; its rating
/// update uses a neutral-site host's edge too (<see cref="NeutralSiteHost"/>), as 538 did.
/// </summary>
public static class EloEngine
{
    /// <summary>Log-loss clipping: the scoring rule of the statistics engine.</summary>
    public const double Epsilon = 1e-15;

    /// <summary>Runs the schedule with one parameter set and returns every game's ratings.</summary>
    public static EloGame[] Run(EloSchedule schedule, EloParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var ratings = (double[])schedule.Seeds.Clone();
        var games = new EloGame[schedule.Games];
        for (var g = 0; g < schedule.Games; g++)
        {
            ref var home = ref ratings[schedule.Home[g]];
            ref var away = ref ratings[schedule.Away[g]];
            StartSeason(ref home, schedule.HomeStart[g], parameters.Reversion);
            StartSeason(ref away, schedule.AwayStart[g], parameters.Reversion);
            var (homePre, awayPre) = (home, away);
            var d = homePre - awayPre + (schedule.Neutral[g] ? 0 : parameters.HomeEdge);
            var p = WinProbability(d);
            if (!double.IsNaN(schedule.Outcome[g]))
            {
                var shift = UpdateShift(d, p, schedule.NeutralHost[g], schedule.Outcome[g], schedule.Margin[g], parameters);
                home += shift;
                away -= shift;
            }

            games[g] = new EloGame(homePre, awayPre, p, d / 25, home, away);
        }

        return games;
    }

    /// <summary>Brier score and log loss of one parameter set over the schedule's scored games.</summary>
    public static EloScore Score(EloSchedule schedule, EloParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var ratings = (double[])schedule.Seeds.Clone();
        double brier = 0, logLoss = 0;
        var n = 0;
        for (var g = 0; g < schedule.Games; g++)
        {
            ref var home = ref ratings[schedule.Home[g]];
            ref var away = ref ratings[schedule.Away[g]];
            StartSeason(ref home, schedule.HomeStart[g], parameters.Reversion);
            StartSeason(ref away, schedule.AwayStart[g], parameters.Reversion);
            var d = home - away + (schedule.Neutral[g] ? 0 : parameters.HomeEdge);
            var p = WinProbability(d);
            var r = schedule.Outcome[g];
            if (double.IsNaN(r))
            {
                continue;
            }

            if (schedule.Scored[g])
            {
                brier += (p - r) * (p - r);
                var clipped = Math.Clamp(p, Epsilon, 1 - Epsilon);
                logLoss -= (r * Math.Log(clipped)) + ((1 - r) * Math.Log(1 - clipped));
                n++;
            }

            var shift = UpdateShift(d, p, schedule.NeutralHost[g], r, schedule.Margin[g], parameters);
            home += shift;
            away -= shift;
        }

        return new EloScore(parameters, n == 0 ? double.NaN : brier / n, n == 0 ? double.NaN : logLoss / n, n);
    }

    /// <summary>p = 1 / (10^(-d/400) + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double WinProbability(double d) => 1 / (Math.Pow(10, -d / 400) + 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StartSeason(ref double rating, SeasonStart start, double reversion)
    {
        if (start == SeasonStart.Revert)
        {
            rating = ((1 - reversion) * rating) + (reversion * EloParameters.Mean);
        }
        else if (start == SeasonStart.NewTeam)
        {
            rating = EloParameters.NewTeamRating;
        }
    }

    // The update's shift: at a hosted neutral site, from the difference and probability with the host's edge.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double UpdateShift(double d, double p, NeutralSiteHost host, double r, double margin, EloParameters e)
    {
        if (host == NeutralSiteHost.None)
        {
            return Shift(d, p, r, margin, e);
        }

        var du = EloSchedule.UpdateDifference(d, host, e.HomeEdge);
        return Shift(du, WinProbability(du), r, margin, e);
    }

    // shift = K * m * (r - p), m = ln(max(pd, 1) + 1) * scale / (d_w * slope + scale), divisor 1 for a tie.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Shift(double d, double p, double r, double margin, EloParameters e)
    {
        var divisor = r == 0.5 ? 1 : (((r == 1 ? d : -d) * e.MarginSlope) + e.MarginScale);
        var m = Math.Log(Math.Max(margin, 1) + 1) * e.MarginScale / divisor;
        return e.K * m * (r - p);
    }
}
