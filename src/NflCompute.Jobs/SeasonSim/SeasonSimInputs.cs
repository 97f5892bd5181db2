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

        var alignment = codes.Select(c => League.Shipped.Alignment(c, season)!.Value).ToList();
        var divisionNames = alignment.Select(a => a.Conference + " " + a.Division).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var cut = new Cut(codes, parameters);
        cut.Split(regular, EloEngine.Run(EloInputs.Build(through).Schedule, parameters));
        var atCut = cut.RatingsAtCut();
        var job = new SeasonSimJob
        {
            Teams = codes.Count,
            Conference = [.. alignment.Select(a => a.Conference == "AFC" ? 0 : 1)],
            Division = [.. alignment.Select(a => divisionNames.IndexOf(a.Conference + " " + a.Division))],
            PlayoffTeams = season >= 2020 ? 7 : 6,
            PlayedHome = [.. cut.PlayedHome],
            PlayedAway = [.. cut.PlayedAway],
            PlayedHomePoints = [.. cut.PlayedPoints],
            Home = [.. cut.Home],
            Away = [.. cut.Away],
            HomeWinProbability = [.. cut.Probability],
            Ratings = hot ? atCut : null,
            Postseason = true,
            TeamRatings = atCut,
            PlayoffHomeEdge = parameters.HomeEdge,
            HomeEdge = hot ? [.. cut.Edge] : null,
            K = parameters.K,
            Simulations = simulations,
            Seed = seed,
        };
        return new Built(job, codes, cut.Records, cut.LastWeek);
    }

    // The season split at the cut: games played (with the records they make) and games to
    // simulate (with Elo's probability), and each team's rating there.
    private sealed class Cut(IReadOnlyList<string> codes, EloParameters parameters)
    {
        private readonly Dictionary<string, int> _index = codes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        private readonly double[] _ratings = new double[codes.Count];
        private readonly bool[] _rated = new bool[codes.Count];
        private readonly double[] _latest = new double[codes.Count]; // after each team's last game played (for a season already over)

        public List<int> PlayedHome { get; } = [];

        public List<int> PlayedAway { get; } = [];

        public List<int> PlayedPoints { get; } = [];

        public List<int> Home { get; } = [];

        public List<int> Away { get; } = [];

        public List<double> Probability { get; } = [];

        public List<double> Edge { get; } = [];

        public (int Wins, int Losses, int Ties)[] Records { get; } = new (int, int, int)[codes.Count];

        public int LastWeek { get; private set; }

        public void Split(List<(GameRow Game, int Index)> regular, EloGame[] elo)
        {
            foreach (var (game, i) in regular)
            {
                var (h, a) = (_index[game.HomeTeam], _index[game.AwayTeam]);
                if (game.Played)
                {
                    var points = game.HomeScore > game.AwayScore ? 2 : game.HomeScore == game.AwayScore ? 1 : 0;
                    PlayedHome.Add(h);
                    PlayedAway.Add(a);
                    PlayedPoints.Add(points);
                    Tally(ref Records[h], points);
                    Tally(ref Records[a], 2 - points);
                    (_latest[h], _latest[a]) = (elo[i].HomePost, elo[i].AwayPost);
                    LastWeek = Math.Max(LastWeek, game.Week);
                    continue;
                }

                Home.Add(h);
                Away.Add(a);
                Probability.Add(elo[i].HomeWinProbability);
                Edge.Add(game.Neutral ? 0 : parameters.HomeEdge);
                foreach (var (team, rating) in new[] { (h, elo[i].HomePre), (a, elo[i].AwayPre) })
                {
                    if (!_rated[team])
                    {
                        (_ratings[team], _rated[team]) = (rating, true);
                    }
                }
            }
        }

        // Each team's rating at the cut: before its next game, or after its last one.
        public double[] RatingsAtCut() => [.. Enumerable.Range(0, _ratings.Length).Select(t => _rated[t] ? _ratings[t] : _latest[t])];
    }

    private static void Tally(ref (int Wins, int Losses, int Ties) record, int points) =>
        record = points switch
        {
            2 => (record.Wins + 1, record.Losses, record.Ties),
            1 => (record.Wins, record.Losses, record.Ties + 1),
            _ => (record.Wins, record.Losses + 1, record.Ties),
        };
}
