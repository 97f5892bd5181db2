namespace NflCompute.Kernels.Nfl;

/// <summary>
/// What is the same in every simulated season of a <see cref="SeasonSimJob"/>: the standings so
/// far, the games each team plays in its division and conference, head-to-head so far, each game
/// left's home win threshold on a 32-bit draw, and the league's alignment. Built once per job for
/// the CPU simulator and for the device kernel, so both read the same numbers.
/// </summary>
internal sealed class SeasonLayout
{
    public SeasonLayout(SeasonSimJob job)
    {
        Job = job;
        Teams = job.Teams;
        Games = job.Home.Length;
        (Points, DivisionPoints, ConferencePoints) = (new int[Teams], new int[Teams], new int[Teams]);
        (DivisionGames, ConferenceGames) = (new int[Teams], new int[Teams]);
        (H2hPoints, H2hGames, H2hGamesLeft, H2hWins) = (new int[Teams * Teams], new int[Teams * Teams], new int[Teams * Teams], new int[Teams * Teams]);
        for (var g = 0; g < job.PlayedHome.Length; g++)
        {
            var (h, a, hp) = (job.PlayedHome[g], job.PlayedAway[g], job.PlayedHomePoints[g]);
            Record(h, a, hp);
            Record(a, h, 2 - hp);
            H2hPoints[(h * Teams) + a] += hp;
            H2hPoints[(a * Teams) + h] += 2 - hp;
            H2hGames[(h * Teams) + a]++;
            H2hGames[(a * Teams) + h]++;
            H2hWins[(h * Teams) + a] += hp == 2 ? 1 : 0;
            H2hWins[(a * Teams) + h] += hp == 0 ? 1 : 0;
        }

        (DivisionGame, ConferenceGame, Thresholds) = (new bool[Games], new bool[Games], new ulong[Games]);
        for (var g = 0; g < Games; g++)
        {
            var (h, a) = (job.Home[g], job.Away[g]);
            DivisionGame[g] = job.Division[h] == job.Division[a];
            ConferenceGame[g] = job.Conference[h] == job.Conference[a];
            foreach (var t in new[] { h, a })
            {
                DivisionGames[t] += DivisionGame[g] ? 1 : 0;
                ConferenceGames[t] += ConferenceGame[g] ? 1 : 0;
            }

            H2hGamesLeft[(h * Teams) + a]++;
            H2hGamesLeft[(a * Teams) + h]++;
            Thresholds[g] = (ulong)Math.Round(job.HomeWinProbability[g] * 4294967296.0);
        }

        Divisions = [.. Enumerable.Range(0, Teams).GroupBy(t => job.Division[t]).OrderBy(g => g.Key).Select(g => g.ToArray())];
        ConferenceDivisions = [.. Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, Divisions.Length).Where(d => job.Conference[Divisions[d][0]] == c).ToArray())];
        ConferenceTeams = [.. Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, Teams).Where(t => job.Conference[t] == c).ToArray())];
    }

    public SeasonSimJob Job { get; }

    public int Teams { get; }

    /// <summary>Games left.</summary>
    public int Games { get; }

    /// <summary>Standing points so far (2 a win, 1 a tie), overall, in the division and in the conference.</summary>
    public int[] Points { get; }

    public int[] DivisionPoints { get; }

    public int[] ConferencePoints { get; }

    /// <summary>Division and conference games of the whole season (played and left), per team.</summary>
    public int[] DivisionGames { get; }

    public int[] ConferenceGames { get; }

    /// <summary>Points x earned against y so far, at [x * Teams + y], and the games they played and have left.</summary>
    public int[] H2hPoints { get; }

    public int[] H2hGames { get; }

    public int[] H2hGamesLeft { get; }

    /// <summary>Games x won against y so far.</summary>
    public int[] H2hWins { get; }

    /// <summary>The most playoff teams per conference the simulator seeds.</summary>
    public const int MostSeeds = 8;

    // A tally: per-team blocks [wins x2 | playoffs | division titles | top seeds | byes |
    // divisional | conference championship | conference title | Super Bowl | seed 1 .. seed 8],
    // then each tie-breaking step reached, then decided.
    public const int ByeBlock = 4, DivisionalBlock = 5, ConferenceChampionshipBlock = 6, ConferenceTitleBlock = 7, SuperBowlBlock = 8, SeedBlock = 9;

    private const int TeamBlocks = SeedBlock + MostSeeds;

    /// <summary>Where the tally's count of each tie-breaking step reached, then decided, starts.</summary>
    public int ReachedAt => TeamBlocks * Teams;

    public int DecidedAt => ReachedAt + StepCount;

    private static readonly int StepCount = Enum.GetValues<Standings.TiebreakStep>().Length;

    /// <summary>The length of a tally.</summary>
    public static int CountsLength(int teams) => (TeamBlocks * teams) + (2 * StepCount);

    /// <summary>Per game left: a division game, a conference game.</summary>
    public bool[] DivisionGame { get; }

    public bool[] ConferenceGame { get; }

    /// <summary>Per game left with fixed ratings: the home team wins when its 32-bit draw is below this (up to 2^32).</summary>
    public ulong[] Thresholds { get; }

    /// <summary>The divisions in the order of their numbers, each with its teams in team order.</summary>
    public int[][] Divisions { get; }

    /// <summary>Per conference, the indices into <see cref="Divisions"/> of its divisions.</summary>
    public int[][] ConferenceDivisions { get; }

    /// <summary>Per conference, its teams in team order.</summary>
    public int[][] ConferenceTeams { get; }

    /// <summary>Turns a tally (see the blocks above) into per-team shares and per-season step counts.</summary>
    public SeasonSimResult Result(long[] totals)
    {
        var (teams, simulations) = (Teams, Job.Simulations);
        double Share(int offset, int t, double scale) => totals[(offset * teams) + t] * scale / simulations;
        var all = Enumerable.Range(0, teams);
        return new SeasonSimResult(
            simulations,
            [.. all.Select(t => Share(0, t, 0.5))],
            [.. all.Select(t => Share(1, t, 1))],
            [.. all.Select(t => Share(2, t, 1))],
            [.. all.Select(t => Share(3, t, 1))])
        {
            Seeds = [.. all.Select(t => Enumerable.Range(0, Math.Min(MostSeeds, Job.PlayoffTeams)).Select(s => Share(SeedBlock + s, t, 1)).ToArray())],
            Bye = Job.Postseason ? [.. all.Select(t => Share(ByeBlock, t, 1))] : [],
            Divisional = Job.Postseason ? [.. all.Select(t => Share(DivisionalBlock, t, 1))] : [],
            ConferenceChampionship = Job.Postseason ? [.. all.Select(t => Share(ConferenceChampionshipBlock, t, 1))] : [],
            ConferenceTitle = Job.Postseason ? [.. all.Select(t => Share(ConferenceTitleBlock, t, 1))] : [],
            SuperBowl = Job.Postseason ? [.. all.Select(t => Share(SuperBowlBlock, t, 1))] : [],
            TiebreakSteps = [.. Enum.GetValues<Standings.TiebreakStep>()
                .Where(step => totals[ReachedAt + (int)step] > 0)
                .Select(step => new TiebreakStepCount(step, (double)totals[ReachedAt + (int)step] / simulations, (double)totals[DecidedAt + (int)step] / simulations))],
        };
    }

    private void Record(int team, int opponent, int points)
    {
        Points[team] += points;
        if (Job.Division[team] == Job.Division[opponent])
        {
            DivisionPoints[team] += points;
            DivisionGames[team]++;
        }

        if (Job.Conference[team] == Job.Conference[opponent])
        {
            ConferencePoints[team] += points;
            ConferenceGames[team]++;
        }
    }
}
