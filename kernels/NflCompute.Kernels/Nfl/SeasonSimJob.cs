namespace NflCompute.Kernels.Nfl;

/// <summary>
/// The rest of one regular season to simulate many times: the league's alignment, the standings
/// so far (points are 2 per win and 1 per tie), the games already played (for head-to-head) and the
/// games left with the home team's win probability (fixed ratings) or the ratings that move inside
/// each simulated season ("hot").
/// </summary>
public sealed class SeasonSimJob
{
    /// <summary>Teams in the season; every array below indexes them 0..Teams-1.</summary>
    public required int Teams { get; init; }

    /// <summary>Conference of each team: 0 or 1.</summary>
    public required int[] Conference { get; init; }

    /// <summary>Division of each team, numbered across the league.</summary>
    public required int[] Division { get; init; }

    /// <summary>Playoff teams per conference: 6 through 2019, 7 from 2020.</summary>
    public required int PlayoffTeams { get; init; }

    /// <summary>Games already played: home team, away team, home points (2 win, 1 tie, 0 loss).</summary>
    public required int[] PlayedHome { get; init; }

    /// <summary>Away team of each played game.</summary>
    public required int[] PlayedAway { get; init; }

    /// <summary>Home points of each played game.</summary>
    public required int[] PlayedHomePoints { get; init; }

    /// <summary>Home team of each game left.</summary>
    public required int[] Home { get; init; }

    /// <summary>Away team of each game left.</summary>
    public required int[] Away { get; init; }

    /// <summary>Fixed ratings: the home team's win probability in each game left.</summary>
    public required double[] HomeWinProbability { get; init; }

    /// <summary>Hot ratings: each team's rating now (null for fixed ratings).</summary>
    public double[]? Ratings { get; init; }

    /// <summary>Hot ratings: the home edge of each game left (0 at a neutral site).</summary>
    public double[]? HomeEdge { get; init; }

    /// <summary>Hot ratings: the update speed K of a simulated result (shift = K * (result - p)).</summary>
    public double K { get; init; } = 20;

    /// <summary>
    /// Play the postseason too: the seeds' bracket (byes for the top seeds, re-seeded rounds, the
    /// better seed at home, the Super Bowl at a neutral site), from <see cref="TeamRatings"/> with
    /// fixed ratings, or from each simulated season's own ratings, moving between rounds, when hot.
    /// </summary>
    public bool Postseason { get; init; }

    /// <summary>Fixed ratings with <see cref="Postseason"/>: each team's rating for its playoff games.</summary>
    public double[]? TeamRatings { get; init; }

    /// <summary>The home edge of a playoff game in rating points (none at the Super Bowl).</summary>
    public double PlayoffHomeEdge { get; init; } = EloParameters.Classic.HomeEdge;

    /// <summary>Seasons to simulate.</summary>
    public required int Simulations { get; init; }

    /// <summary>Seed of the counter-based generator: the same seed gives the same result on any machine.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Problems with the job, each naming the field.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Teams is < 2 or > 64)
        {
            problems.Add($"Teams is {Teams}; it must be in 2..64.");
        }

        if (Conference.Length != Teams || Division.Length != Teams)
        {
            problems.Add("Conference and Division need one entry per team.");
        }

        if (Home.Length != Away.Length || Home.Length != HomeWinProbability.Length)
        {
            problems.Add("Home, Away and HomeWinProbability need one entry per game left.");
        }

        if (PlayedHome.Length != PlayedAway.Length || PlayedHome.Length != PlayedHomePoints.Length)
        {
            problems.Add("PlayedHome, PlayedAway and PlayedHomePoints need one entry per game played.");
        }

        if (Simulations is < 1 or > 100_000_000)
        {
            problems.Add($"Simulations is {Simulations}; it must be in 1..100,000,000.");
        }

        if (Ratings is not null && (Ratings.Length != Teams || HomeEdge is null || HomeEdge.Length != Home.Length))
        {
            problems.Add("Hot ratings need Ratings per team and HomeEdge per game left.");
        }

        if (Postseason && Ratings is null && TeamRatings?.Length != Teams)
        {
            problems.Add("A postseason with fixed ratings needs TeamRatings, one per team.");
        }

        if (PlayoffTeams is < 1 or > SeasonLayout.MostSeeds)
        {
            problems.Add($"PlayoffTeams is {PlayoffTeams}; it must be in 1..{SeasonLayout.MostSeeds}.");
        }

        for (var g = 0; g < HomeWinProbability.Length; g++)
        {
            if (!(HomeWinProbability[g] is >= 0 and <= 1))
            {
                problems.Add($"HomeWinProbability[{g}] is {HomeWinProbability[g]}; it must be in [0, 1].");
                break;
            }
        }

        return problems;
    }
}

/// <summary>Per team, over all simulated seasons.</summary>
/// <param name="Simulations">Seasons simulated.</param>
/// <param name="ExpectedWins">Mean final wins (a tie is half a win).</param>
/// <param name="Playoffs">Share of seasons in the playoffs.</param>
/// <param name="DivisionTitles">Share of seasons winning the division.</param>
/// <param name="TopSeed">Share of seasons as the conference's top seed.</param>
public sealed record SeasonSimResult(int Simulations, double[] ExpectedWins, double[] Playoffs, double[] DivisionTitles, double[] TopSeed)
{
    /// <summary>Per team, the share of seasons with each seed: [team][seed - 1].</summary>
    public double[][] Seeds { get; init; } = [];

    /// <summary>With the postseason: per team, the share of seasons with a first-round bye.</summary>
    public double[] Bye { get; init; } = [];

    /// <summary>With the postseason: per team, the share of seasons reaching the divisional round (the last four of its conference).</summary>
    public double[] Divisional { get; init; } = [];

    /// <summary>With the postseason: per team, the share reaching the conference championship.</summary>
    public double[] ConferenceChampionship { get; init; } = [];

    /// <summary>With the postseason: per team, the share winning the conference (reaching the Super Bowl).</summary>
    public double[] ConferenceTitle { get; init; } = [];

    /// <summary>With the postseason: per team, the share winning the Super Bowl.</summary>
    public double[] SuperBowl { get; init; } = [];

    /// <summary>Per tie-breaking step the simulations reached: how often per season it was reached, and how often it decided a place.</summary>
    public IReadOnlyList<TiebreakStepCount> TiebreakSteps { get; init; } = [];
}

/// <summary>How often a tie-breaking step came up in a simulation.</summary>
/// <param name="Step">The step.</param>
/// <param name="ReachedPerSeason">Times it was reached, per simulated season.</param>
/// <param name="DecidedPerSeason">Times it decided a place (a club advanced, or clubs were eliminated), per simulated season.</param>
public sealed record TiebreakStepCount(Standings.TiebreakStep Step, double ReachedPerSeason, double DecidedPerSeason);
