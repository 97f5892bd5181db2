using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Nfl;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.SeasonSim;

/// <summary>
/// Builds a <see cref="SeasonSimJob"/> for one regular season from the loaded games: the league as
/// it was that season, the standings of the games played up to a week, and Elo's win probability
/// of every game left from the ratings at that point (classic 538 Elo from the 1998 seeds).
/// </summary>
public static class SeasonSimInputs
{
    /// <summary>The job and the code of each team index.</summary>
    /// <param name="Job">The simulation's input.</param>
    /// <param name="Teams">Team code of each index.</param>
    /// <param name="Standings">Each team's record so far: wins, losses, ties.</param>
    /// <param name="LastWeekPlayed">The last week counted as played.</param>
    public sealed record Built(SeasonSimJob Job, IReadOnlyList<string> Teams, IReadOnlyList<(int Wins, int Losses, int Ties)> Standings, int LastWeekPlayed);

    /// <summary>Builds the simulation of <paramref name="season"/> after week <paramref name="afterWeek"/> (default: every game played so far).</summary>
    /// <exception cref="JobInputException">The season has no regular-season games loaded, or the league does not know it.</exception>
    public static Built Build(IReadOnlyList<GameRow> games, int season, int? afterWeek, bool hot, EloParameters parameters, int simulations, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(games);
        bool Counted(GameRow g) => g.Played && (g.Season < season || (afterWeek is null || g.Week <= afterWeek));
        var through = games.Where(g => g.Season <= season).Select(g => Counted(g) ? g : g with { HomeScore = null, AwayScore = null }).ToList();
        var regular = through.Select((g, i) => (Game: g, Index: i)).Where(x => x.Game.Season == season && x.Game.GameType == "REG").ToList();
        if (regular.Count == 0)
        {
            throw new JobInputException($"payload.season {season} has no regular-season games loaded.");
        }

        var codes = League.Shipped.TeamsIn(season);
        if (codes.Count == 0)
        {
            throw new JobInputException($"payload.season {season}: the league's alignment for it is unknown.");
        }

        var index = codes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var alignment = codes.Select(c => League.Shipped.Alignment(c, season)!.Value).ToList();
        var divisionNames = alignment.Select(a => a.Conference + " " + a.Division).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var elo = EloEngine.Run(EloInputs.Build(through).Schedule, parameters);

        var (playedHome, playedAway, playedPoints) = (new List<int>(), new List<int>(), new List<int>());
        var (home, away, probability, edge) = (new List<int>(), new List<int>(), new List<double>(), new List<double>());
        var ratings = new double[codes.Count];
        var rated = new bool[codes.Count];
        var latest = new double[codes.Count]; // after each team's last game played (for a season already over)
        var records = new (int Wins, int Losses, int Ties)[codes.Count];
        var lastWeek = 0;
        foreach (var (game, i) in regular)
        {
            var (h, a) = (index[game.HomeTeam], index[game.AwayTeam]);
            if (game.Played)
            {
                var points = game.HomeScore > game.AwayScore ? 2 : game.HomeScore == game.AwayScore ? 1 : 0;
                playedHome.Add(h);
                playedAway.Add(a);
                playedPoints.Add(points);
                Tally(ref records[h], points);
                Tally(ref records[a], 2 - points);
                (latest[h], latest[a]) = (elo[i].HomePost, elo[i].AwayPost);
                lastWeek = Math.Max(lastWeek, game.Week);
                continue;
            }

            home.Add(h);
            away.Add(a);
            probability.Add(elo[i].HomeWinProbability);
            edge.Add(game.Neutral ? 0 : parameters.HomeEdge);
            foreach (var (team, rating) in new[] { (h, elo[i].HomePre), (a, elo[i].AwayPre) })
            {
                if (!rated[team])
                {
                    (ratings[team], rated[team]) = (rating, true);
                }
            }
        }

        // Each team's rating at the cut: before its next game, or after its last one.
        var atCut = Enumerable.Range(0, codes.Count).Select(t => rated[t] ? ratings[t] : latest[t]).ToArray();
        var job = new SeasonSimJob
        {
            Teams = codes.Count,
            Conference = [.. alignment.Select(a => a.Conference == "AFC" ? 0 : 1)],
            Division = [.. alignment.Select(a => divisionNames.IndexOf(a.Conference + " " + a.Division))],
            PlayoffTeams = season >= 2020 ? 7 : 6,
            PlayedHome = [.. playedHome],
            PlayedAway = [.. playedAway],
            PlayedHomePoints = [.. playedPoints],
            Home = [.. home],
            Away = [.. away],
            HomeWinProbability = [.. probability],
            Ratings = hot ? atCut : null,
            Postseason = true,
            TeamRatings = atCut,
            PlayoffHomeEdge = parameters.HomeEdge,
            HomeEdge = hot ? [.. edge] : null,
            K = parameters.K,
            Simulations = simulations,
            Seed = seed,
        };
        return new Built(job, codes, records, lastWeek);
    }

    private static void Tally(ref (int Wins, int Losses, int Ties) record, int points) =>
        record = points switch
        {
            2 => (record.Wins + 1, record.Losses, record.Ties),
            1 => (record.Wins, record.Losses, record.Ties + 1),
            _ => (record.Wins, record.Losses + 1, record.Ties),
        };
}
