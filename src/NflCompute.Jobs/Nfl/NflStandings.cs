using NflCompute.Kernels.Nfl.Standings;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.Nfl;

/// <summary>One team in the standings.</summary>
/// <param name="Team">Team code of the season.</param>
/// <param name="Conference">AFC or NFC.</param>
/// <param name="Division">East, North, South, West (or the 1999-2001 names).</param>
/// <param name="Wins">Wins.</param>
/// <param name="Losses">Losses.</param>
/// <param name="Ties">Ties.</param>
/// <param name="Percentage">Win percentage, a tie half a win.</param>
/// <param name="DivisionRank">1 for the division winner.</param>
/// <param name="Seed">Playoff seed, or null when out.</param>
/// <param name="PointsFor">Points scored.</param>
/// <param name="PointsAgainst">Points allowed.</param>
public sealed record TeamStanding(string Team, string Conference, string Division, int Wins, int Losses, int Ties, double Percentage, int DivisionRank, int? Seed, long PointsFor, long PointsAgainst);

/// <summary>A season's standings after some week.</summary>
/// <param name="Season">The season.</param>
/// <param name="AfterWeek">The last regular-season week counted.</param>
/// <param name="Teams">Every team, by conference, division and division rank.</param>
/// <param name="Seeds">Per conference (AFC, NFC), the playoff teams by seed.</param>
/// <param name="StepsDecided">How often each tie-breaking step decided a place (steps that never did are left out).</param>
public sealed record SeasonStandings(int Season, int AfterWeek, IReadOnlyList<TeamStanding> Teams, IReadOnlyDictionary<string, IReadOnlyList<string>> Seeds, IReadOnlyDictionary<string, long> StepsDecided);

/// <summary>
/// A season's standings from its regular-season results with the league's full tie-breaking
/// procedure (<see cref="Tiebreakers"/>): division ranks, division winners, playoff seeds (six per
/// conference through 2019, seven from 2020).
/// </summary>
public static class NflStandings
{
    /// <summary>Playoff teams per conference that season.</summary>
    public static int PlayoffTeams(int season) => season >= 2020 ? 7 : 6;

    /// <summary>The standings of <paramref name="season"/> counting its regular-season games through week <paramref name="afterWeek"/> (all played ones when null).</summary>
    /// <exception cref="JobInputException">The season has no regular-season games, or the league's alignment for it is unknown.</exception>
    public static SeasonStandings Compute(IReadOnlyList<GameRow> games, int season, int? afterWeek = null)
    {
        ArgumentNullException.ThrowIfNull(games);
        var codes = League.Shipped.TeamsIn(season);
        if (codes.Count == 0)
        {
            throw new JobInputException($"season {season}: the league's alignment for it is unknown.");
        }

        var played = games.Where(g => g.Season == season && g.GameType == "REG" && g.Played && (afterWeek is null || g.Week <= afterWeek)).ToList();
        if (played.Count == 0 && !games.Any(g => g.Season == season && g.GameType == "REG"))
        {
            throw new JobInputException($"season {season} has no regular-season games loaded.");
        }

        var index = codes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var alignment = codes.Select(c => League.Shipped.Alignment(c, season)!.Value).ToList();
        var divisions = alignment.Select(a => a.Conference + " " + a.Division).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var table = new LeagueTable(
            [.. alignment.Select(a => a.Conference == "AFC" ? 0 : 1)],
            [.. alignment.Select(a => divisions.IndexOf(a.Conference + " " + a.Division))],
            [.. played.Select(g => new PlayedGame(index[g.HomeTeam], index[g.AwayTeam], g.HomeScore!.Value, g.AwayScore!.Value))]);
        var breaker = new Tiebreakers(table, (ulong)season);

        var divisionRank = new int[codes.Count];
        foreach (var division in Enumerable.Range(0, codes.Count).GroupBy(t => table.Division[t]))
        {
            var order = breaker.DivisionOrder(division);
            for (var r = 0; r < order.Count; r++)
            {
                divisionRank[order[r]] = r + 1;
            }
        }

        var seed = new int?[codes.Count];
        var seeds = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (conference, name) in new[] { (0, "AFC"), (1, "NFC") })
        {
            var order = breaker.Seeds(conference, PlayoffTeams(season));
            for (var s = 0; s < order.Count; s++)
            {
                seed[order[s]] = s + 1;
            }

            seeds[name] = [.. order.Select(t => codes[t])];
        }

        var teams = Enumerable.Range(0, codes.Count).Select(t =>
        {
            var (points, gamesPlayed) = table.Overall(t);
            var (wins, ties) = (Enumerable.Range(0, codes.Count).Sum(y => table.Wins[(t * codes.Count) + y]), 0);
            ties = (int)(points - (2 * wins));
            var (scored, allowed) = table.PointsFor(t, _ => true);
            return new TeamStanding(codes[t], alignment[t].Conference, alignment[t].Division, wins, (int)gamesPlayed - wins - ties, ties,
                gamesPlayed == 0 ? 0 : points / (2.0 * gamesPlayed), divisionRank[t], seed[t], scored, allowed);
        }).OrderBy(s => s.Conference, StringComparer.Ordinal).ThenBy(s => s.Division, StringComparer.Ordinal).ThenBy(s => s.DivisionRank).ToList();

        var steps = Enum.GetValues<TiebreakStep>().Where(s => breaker.Decided[(int)s] > 0).ToDictionary(s => s.ToString(), s => breaker.Decided[(int)s], StringComparer.Ordinal);
        return new SeasonStandings(season, played.Count == 0 ? 0 : played.Max(g => g.Week), teams, seeds, steps);
    }
}
