namespace NflCompute.Kernels.Nfl.Standings;

/// <summary>A regular-season game as the standings count it: the teams and, when played, the scores.</summary>
/// <param name="Home">Home team index.</param>
/// <param name="Away">Away team index.</param>
/// <param name="HomeScore">Home points.</param>
/// <param name="AwayScore">Away points.</param>
public readonly record struct PlayedGame(int Home, int Away, int HomeScore, int AwayScore);

/// <summary>
/// Everything the league's tie-breaking procedure reads, per pair of teams: standing points (2 a
/// win, 1 a tie), games, wins, and points scored. Built once per season from its played games.
/// </summary>
public sealed class LeagueTable
{
    /// <summary>Builds the table; every team has a conference (0 or 1) and a division number.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a game names a team outside them.</exception>
    public LeagueTable(IReadOnlyList<int> conference, IReadOnlyList<int> division, IReadOnlyList<PlayedGame> games, bool scoresKnown = true)
    {
        ArgumentNullException.ThrowIfNull(conference);
        ArgumentNullException.ThrowIfNull(division);
        ArgumentNullException.ThrowIfNull(games);
        if (conference.Count != division.Count)
        {
            throw new ArgumentException($"{conference.Count} conferences for {division.Count} divisions.", nameof(division));
        }

        Teams = conference.Count;
        (Conference, Division, ScoresKnown) = ([.. conference], [.. division], scoresKnown);
        (StandingPoints, Games, Wins, Scored) = (new int[Teams * Teams], new int[Teams * Teams], new int[Teams * Teams], new int[Teams * Teams]);
        foreach (var g in games)
        {
            if ((uint)g.Home >= (uint)Teams || (uint)g.Away >= (uint)Teams || g.Home == g.Away)
            {
                throw new ArgumentException($"A game names teams {g.Home} and {g.Away} of 0..{Teams - 1}.", nameof(games));
            }

            Add(g.Home, g.Away, g.HomeScore, g.AwayScore);
            Add(g.Away, g.Home, g.AwayScore, g.HomeScore);
        }
    }

    /// <summary>Number of teams.</summary>
    public int Teams { get; }

    /// <summary>Conference (0 or 1) per team.</summary>
    public int[] Conference { get; }

    /// <summary>Division number per team.</summary>
    public int[] Division { get; }

    /// <summary>Whether games carry real scores (simulated seasons have only results: the point-based steps are skipped).</summary>
    public bool ScoresKnown { get; }

    /// <summary>Standing points x earned against y, at [x * Teams + y].</summary>
    public int[] StandingPoints { get; }

    /// <summary>Games x played against y.</summary>
    public int[] Games { get; }

    /// <summary>Games x won against y.</summary>
    public int[] Wins { get; }

    /// <summary>Points x scored against y (net points: Scored[x, y] - Scored[y, x]).</summary>
    public int[] Scored { get; }

    /// <summary>x's record: standing points and games, against the teams <paramref name="against"/> accepts.</summary>
    public (long Points, long Games) Record(int x, Func<int, bool> against) =>
        Sum(x, against, (xy, _) => (StandingPoints[xy], Games[xy]));

    /// <summary>x's overall record.</summary>
    public (long Points, long Games) Overall(int x) => Record(x, _ => true);

    /// <summary>Points x scored and allowed against the teams <paramref name="against"/> accepts.</summary>
    public (long For, long Against) PointsFor(int x, Func<int, bool> against) =>
        Sum(x, against, (xy, yx) => (Scored[xy], Scored[yx]));

    // Two figures of x against each other team `against` accepts, added up; `pair` reads them at [x, y] and [y, x].
    private (long, long) Sum(int x, Func<int, bool> against, Func<int, int, (int, int)> pair)
    {
        ArgumentNullException.ThrowIfNull(against);
        long first = 0, second = 0;
        for (var y = 0; y < Teams; y++)
        {
            if (y != x && against(y))
            {
                var (a, b) = pair((x * Teams) + y, (y * Teams) + x);
                (first, second) = (first + a, second + b);
            }
        }

        return (first, second);
    }

    private void Add(int x, int y, int scored, int allowed)
    {
        var xy = (x * Teams) + y;
        Games[xy]++;
        Scored[xy] += scored;
        StandingPoints[xy] += scored > allowed ? 2 : scored == allowed ? 1 : 0;
        Wins[xy] += scored > allowed ? 1 : 0;
    }
}
