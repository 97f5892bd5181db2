using System.Globalization;
using NflCompute.Kernels.Nfl;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.Nfl;

/// <summary>
/// Turns games (in the order they were played) into an <see cref="EloSchedule"/> under the rules
/// of data/nfl/README.md: ratings follow the franchise (LA/STL are LAR, ...), seeds are 538's
/// end-of-1998 ratings, a team's first game of a season reverts its rating, and a franchise that
/// is new (HOU 2002) or returns after a gap (CLE 1999, last seen 1995) starts at 1300, and a Super
/// Bowl in one participant's own stadium is rated with that team's home edge (538's rule; the
/// published probability stays neutral).
/// </summary>
public static class EloInputs
{
    /// <summary>A schedule and the franchise of each index.</summary>
    /// <param name="Schedule">The kernels' input.</param>
    /// <param name="Franchises">Franchise code (538's) of each team index.</param>
    public sealed record Built(EloSchedule Schedule, IReadOnlyList<string> Franchises);

    /// <summary>The shipped seed ratings: franchise -> (last season played, rating).</summary>
    public static IReadOnlyDictionary<string, (int LastSeason, double Rating)> ShippedSeeds { get; } = ParseSeeds(ShippedData.Read("elo_ratings_end1998.csv"));

    /// <summary>Builds the schedule; games of seasons <paramref name="scoreFrom"/>..<paramref name="scoreTo"/> are the scored ones.</summary>
    public static Built Build(IReadOnlyList<GameRow> games, int scoreFrom = int.MinValue, int scoreTo = int.MaxValue, IReadOnlyDictionary<string, (int LastSeason, double Rating)>? seeds = null)
    {
        ArgumentNullException.ThrowIfNull(games);
        seeds ??= ShippedSeeds;
        var franchises = seeds.Keys.Concat(games.SelectMany(g => new[] { League.Franchise(g.HomeTeam), League.Franchise(g.AwayTeam) }))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = franchises.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        var lastSeason = franchises.Select(f => seeds.TryGetValue(f, out var s) ? s.LastSeason : int.MinValue).ToArray();
        var n = games.Count;
        var (home, away) = (new int[n], new int[n]);
        var (homeStart, awayStart) = (new SeasonStart[n], new SeasonStart[n]);
        var (neutral, scored) = (new bool[n], new bool[n]);
        var host = new NeutralSiteHost[n];
        var stadiums = HomeStadiums(games);
        var (outcome, margin) = (new double[n], new double[n]);
        for (var g = 0; g < n; g++)
        {
            var game = games[g];
            home[g] = index[League.Franchise(game.HomeTeam)];
            away[g] = index[League.Franchise(game.AwayTeam)];
            homeStart[g] = Start(ref lastSeason[home[g]], game.Season);
            awayStart[g] = Start(ref lastSeason[away[g]], game.Season);
            neutral[g] = game.Neutral;
            host[g] = HostOf(game, stadiums);
            if (game.Played)
            {
                var diff = game.HomeScore!.Value - game.AwayScore!.Value;
                outcome[g] = diff > 0 ? 1 : diff < 0 ? 0 : 0.5;
                margin[g] = Math.Abs(diff);
            }
            else
            {
                outcome[g] = double.NaN;
            }

            scored[g] = game.Played && game.Season >= scoreFrom && game.Season <= scoreTo;
        }

        var ratings = franchises.Select(f => seeds.TryGetValue(f, out var s) ? s.Rating : EloParameters.NewTeamRating).ToArray();
        return new Built(new EloSchedule(ratings, home, away, neutral, homeStart, awayStart, outcome, margin, scored, host), franchises);
    }

    /// <summary>
    /// The team that played a neutral-site Super Bowl in its own stadium (its stadium that season:
    /// where it played most of its regular-season home games), if either did. Only Super Bowls:
    /// an international game that carries its nominal home team's stadium id stays plain neutral.
    /// </summary>
    public static NeutralSiteHost HostOf(GameRow game, IReadOnlyDictionary<(int Season, string Team), string> homeStadiums)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(homeStadiums);
        if (!game.Neutral || game.GameType != "SB" || game.StadiumId is not { } stadium)
        {
            return NeutralSiteHost.None;
        }

        bool Owns(string team) => homeStadiums.TryGetValue((game.Season, team), out var own) && own == stadium;
        return Owns(game.HomeTeam) ? NeutralSiteHost.Home : Owns(game.AwayTeam) ? NeutralSiteHost.Away : NeutralSiteHost.None;
    }

    /// <summary>Each team's own stadium per season: the stadium of most of its regular-season home games (ties: the lower id).</summary>
    public static IReadOnlyDictionary<(int Season, string Team), string> HomeStadiums(IEnumerable<GameRow> games) =>
        games.Where(g => g.GameType == "REG" && !g.Neutral && g.StadiumId is not null)
            .GroupBy(g => (g.Season, g.HomeTeam))
            .ToDictionary(
                t => t.Key,
                t => t.GroupBy(g => g.StadiumId!, StringComparer.Ordinal).OrderByDescending(s => s.Count()).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key);

    // A team's first game of a season: revert, unless the franchise is new or returns after a gap.
    private static SeasonStart Start(ref int lastSeason, int season)
    {
        if (lastSeason == season)
        {
            return SeasonStart.None;
        }

        var start = lastSeason == season - 1 ? SeasonStart.Revert : SeasonStart.NewTeam;
        lastSeason = season;
        return start;
    }

    private static Dictionary<string, (int, double)> ParseSeeds(string csv) =>
        csv.Split('\n').Skip(1).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => (int.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture)), StringComparer.Ordinal);
}
