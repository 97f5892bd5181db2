using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.Nfl.Standings;

/// <summary>A step of the league's tie-breaking procedure, in the order the rulebook lists them.</summary>
public enum TiebreakStep
{
    /// <summary>Head-to-head: win percentage in the games among the tied clubs (two clubs, or a division).</summary>
    HeadToHead,

    /// <summary>Head-to-head sweep (three or more clubs for a wild card): one beat each of the others, or lost to each.</summary>
    HeadToHeadSweep,

    /// <summary>Win percentage in division games.</summary>
    DivisionRecord,

    /// <summary>Win percentage in games against common opponents (for a wild card, at least four each).</summary>
    CommonGames,

    /// <summary>Win percentage in conference games.</summary>
    ConferenceRecord,

    /// <summary>Combined win percentage of the teams a club beat.</summary>
    StrengthOfVictory,

    /// <summary>Combined win percentage of all its opponents.</summary>
    StrengthOfSchedule,

    /// <summary>Best combined ranking among conference teams in points scored and points allowed.</summary>
    ConferencePointsRanking,

    /// <summary>Best combined ranking among all teams in points scored and points allowed.</summary>
    LeaguePointsRanking,

    /// <summary>Net points in common games (division ties).</summary>
    CommonNetPoints,

    /// <summary>Net points in conference games (wild-card ties).</summary>
    ConferenceNetPoints,

    /// <summary>Net points in all games.</summary>
    NetPoints,

    /// <summary>A coin toss (the counter generator: the same on every machine).</summary>
    CoinToss,
}

/// <summary>
/// The NFL's tie-breaking procedure for division titles, wild cards and seeding (the rulebook's
/// "Tie-Breaking Procedures"), on a <see cref="LeagueTable"/>. Clubs are ordered by win percentage
/// (a tie is half a win); a group level on it is broken one place at a time: the procedure names
/// one club, which advances, and the others start again from step 1 (of the two-club format when
/// two are left). Within a step, a club behind the best is eliminated and the rest start again.
/// <para>
/// Division ties: head-to-head, division record, common games, conference record, strength of
/// victory, strength of schedule, conference then league ranking in points scored and allowed, net
/// points in common games, net points, coin toss. Wild-card and seeding ties: first only the best
/// club of each division by the division procedure goes on; then head-to-head (two clubs, if they
/// met) or the head-to-head sweep (three or more), conference record, common games (at least four
/// each), strength of victory, strength of schedule, the two rankings, net points in conference
/// games, net points, coin toss. Net touchdowns (the step before the coin toss) are skipped: the
/// games file has no touchdowns. Without real scores (<see cref="LeagueTable.ScoresKnown"/> false,
/// as in a simulated season) the point-based steps are skipped too.
/// </para>
/// </summary>
/// <param name="table">The season's games.</param>
/// <param name="coinSeed">Seeds the coin toss.</param>
/// <param name="coin">The coin instead, per club (a larger draw wins); the simulator passes its own so both agree.</param>
public sealed class Tiebreakers(LeagueTable table, ulong coinSeed, Func<int, uint>? coin = null)
{
    internal static readonly TiebreakStep[] DivisionSteps =
    [
        TiebreakStep.HeadToHead, TiebreakStep.DivisionRecord, TiebreakStep.CommonGames, TiebreakStep.ConferenceRecord,
        TiebreakStep.StrengthOfVictory, TiebreakStep.StrengthOfSchedule, TiebreakStep.ConferencePointsRanking,
        TiebreakStep.LeaguePointsRanking, TiebreakStep.CommonNetPoints, TiebreakStep.NetPoints, TiebreakStep.CoinToss,
    ];

    internal static readonly TiebreakStep[] TwoClubWildCardSteps =
    [
        TiebreakStep.HeadToHead, TiebreakStep.ConferenceRecord, TiebreakStep.CommonGames, TiebreakStep.StrengthOfVictory,
        TiebreakStep.StrengthOfSchedule, TiebreakStep.ConferencePointsRanking, TiebreakStep.LeaguePointsRanking,
        TiebreakStep.ConferenceNetPoints, TiebreakStep.NetPoints, TiebreakStep.CoinToss,
    ];

    internal static readonly TiebreakStep[] WildCardSteps = [TiebreakStep.HeadToHeadSweep, .. TwoClubWildCardSteps[1..]];

    /// <summary>Whether a step reads the games' scores (a simulated season, having none, skips it).</summary>
    internal static bool NeedsScores(TiebreakStep step) => step is TiebreakStep.ConferencePointsRanking or TiebreakStep.LeaguePointsRanking
        or TiebreakStep.CommonNetPoints or TiebreakStep.ConferenceNetPoints or TiebreakStep.NetPoints;

    /// <summary>The steps of a format that a season without scores can take, in order.</summary>
    internal static TiebreakStep[] WithoutScores(TiebreakStep[] steps) => [.. steps.Where(s => !NeedsScores(s))];

    private readonly (uint K1, uint K2) _coin = CounterRng.Keys(coinSeed, 0xC014, 0);

    /// <summary>How many times each step decided something (a club advanced, or clubs were eliminated), indexed by <see cref="TiebreakStep"/>.</summary>
    public long[] Decided { get; } = new long[Enum.GetValues<TiebreakStep>().Length];

    /// <summary>The step that decided the last place the procedure filled from a level group (null when none was level).</summary>
    public TiebreakStep? LastStep { get; private set; }

    /// <summary>The table the procedure reads.</summary>
    public LeagueTable Table => table;

    /// <summary>The teams of one division, best first.</summary>
    public List<int> DivisionOrder(IEnumerable<int> teams, int places = int.MaxValue) => Order(teams, DivisionBest, places);

    /// <summary>Teams of one conference (division winners for seeding, or the rest for wild cards), best first.</summary>
    public List<int> ConferenceOrder(IEnumerable<int> teams, int places = int.MaxValue) => Order(teams, ConferenceBest, places);

    /// <summary>
    /// A conference's playoff seeds, 1 first: its division winners by the wild-card procedure, then
    /// the best of the rest up to <paramref name="playoffTeams"/>.
    /// </summary>
    public List<int> Seeds(int conference, int playoffTeams)
    {
        var members = Enumerable.Range(0, table.Teams).Where(t => table.Conference[t] == conference).ToList();
        var winners = members.GroupBy(t => table.Division[t]).OrderBy(d => d.Key).Select(d => DivisionOrder(d, 1)[0]).ToList();
        var seeds = ConferenceOrder(winners);
        seeds.AddRange(ConferenceOrder(members.Except(winners), Math.Max(0, playoffTeams - winners.Count)));
        return seeds;
    }

    /// <summary>Win percentage of x, as a fraction (standing points over two per game).</summary>
    public Fraction Percentage(int x) => Fraction.Of(table.Overall(x));

    // Repeatedly: the best club by win percentage; a level group is broken by `best`.
    private List<int> Order(IEnumerable<int> teams, Func<List<int>, int> best, int places)
    {
        var remaining = teams.ToList();
        var order = new List<int>();
        while (remaining.Count > 0 && order.Count < places)
        {
            var top = Best(remaining, Percentage);
            var next = top.Count == 1 ? top[0] : best(top);
            order.Add(next);
            remaining.Remove(next);
        }

        return order;
    }

    private int DivisionBest(List<int> tied) => Decide(tied, DivisionSteps, DivisionBest);

    private int ConferenceBest(List<int> tied)
    {
        if (tied.All(t => table.Division[t] == table.Division[tied[0]]))
        {
            return DivisionBest(tied);
        }

        // Step 1: only the highest-ranked club of each division goes on.
        var leaders = tied.GroupBy(t => table.Division[t]).Select(d => d.Count() == 1 ? d.First() : DivisionBest([.. d])).ToList();
        return leaders.Count == 1 ? leaders[0] : Decide(leaders, leaders.Count == 2 ? TwoClubWildCardSteps : WildCardSteps, ConferenceBest);
    }

    // The steps in order: one club best on a step advances; fewer best than tied start again.
    private int Decide(List<int> tied, TiebreakStep[] steps, Func<List<int>, int> restart)
    {
        foreach (var step in steps)
        {
            if (Metric(step, tied) is not { } metric)
            {
                continue;
            }

            var best = Best(tied, metric);
            if (best.Count == 1)
            {
                Decided[(int)step]++;
                LastStep = step;
                return best[0];
            }

            if (best.Count < tied.Count)
            {
                Decided[(int)step]++;
                return restart(best);
            }
        }

        throw new InvalidOperationException("The coin toss always decides.");
    }

    // What a step compares (larger is better), or null where it does not apply to this group.
    private Func<int, Fraction>? Metric(TiebreakStep step, List<int> tied)
    {
        var n = table.Teams;
        bool In(int y) => tied.Contains(y);
        if (NeedsScores(step) && !table.ScoresKnown)
        {
            return null;
        }

        switch (step)
        {
            case TiebreakStep.HeadToHead:
                // Two clubs for a wild card only if they met; a division's clubs always did.
                return tied.All(x => table.Record(x, y => y != x && In(y)).Games > 0) ? x => Fraction.Of(table.Record(x, In)) : null;
            case TiebreakStep.HeadToHeadSweep:
                return x =>
                {
                    var (beatAll, lostAll) = (true, true);
                    foreach (var y in tied.Where(y => y != x))
                    {
                        var xy = (x * n) + y;
                        beatAll &= table.Games[xy] > 0 && table.Wins[xy] == table.Games[xy];
                        lostAll &= table.Games[xy] > 0 && table.StandingPoints[xy] == 0;
                    }

                    return new Fraction(beatAll ? 1 : lostAll ? -1 : 0, 1);
                };
            case TiebreakStep.DivisionRecord:
                return x => Fraction.Of(table.Record(x, y => table.Division[y] == table.Division[x]));
            case TiebreakStep.ConferenceRecord:
                return x => Fraction.Of(table.Record(x, y => table.Conference[y] == table.Conference[x]));
            case TiebreakStep.CommonGames:
            {
                var common = CommonOpponents(tied);
                var minimum = tied.All(t => table.Division[t] == table.Division[tied[0]]) ? 0 : 4;
                return tied.All(x => table.Record(x, common.Contains).Games >= minimum) ? x => Fraction.Of(table.Record(x, common.Contains)) : null;
            }

            case TiebreakStep.StrengthOfVictory:
                return x => Strength(x, (xy) => table.Wins[xy]);
            case TiebreakStep.StrengthOfSchedule:
                return x => Strength(x, (xy) => table.Games[xy]);
            case TiebreakStep.ConferencePointsRanking:
                return x => new Fraction(-CombinedRank(x, y => table.Conference[y] == table.Conference[x]), 1);
            case TiebreakStep.LeaguePointsRanking:
                return x => new Fraction(-CombinedRank(x, _ => true), 1);
            case TiebreakStep.CommonNetPoints:
            {
                var common = CommonOpponents(tied);
                return x => Net(table.PointsFor(x, common.Contains));
            }

            case TiebreakStep.ConferenceNetPoints:
                return x => Net(table.PointsFor(x, y => table.Conference[y] == table.Conference[x]));
            case TiebreakStep.NetPoints:
                return x => Net(table.PointsFor(x, _ => true));
            default:
                // The coin: a draw per club, the club's index breaking a (2^-32) tie of draws.
                return x => new Fraction(((long)(coin?.Invoke(x) ?? CounterRng.DrawWord(_coin.K1, _coin.K2, (uint)x)) << 8) - x, 1);
        }
    }

    private static Fraction Net((long For, long Against) points) => new(points.For - points.Against, 1);

    // Opponents every tied club played (the clubs themselves drop out: none plays itself).
    private HashSet<int> CommonOpponents(List<int> tied)
    {
        var n = table.Teams;
        return [.. Enumerable.Range(0, n).Where(y => tied.All(x => table.Games[(x * n) + y] > 0))];
    }

    // Combined win percentage of x's opponents, each counted `weight(x, y)` times (wins: strength
    // of victory; games: strength of schedule).
    private Fraction Strength(int x, Func<int, int> weight)
    {
        var n = table.Teams;
        long points = 0, games = 0;
        for (var y = 0; y < n; y++)
        {
            var w = weight((x * n) + y);
            if (w > 0)
            {
                var (p, g) = table.Overall(y);
                points += w * p;
                games += w * g;
            }
        }

        return games == 0 ? new Fraction(0, 1) : new Fraction(points, 2 * games);
    }

    // x's rank in points scored (most first) plus its rank in points allowed (fewest first) among
    // the teams `among` accepts; clubs level on a figure share the better rank.
    private long CombinedRank(int x, Func<int, bool> among)
    {
        var (mine, against) = table.PointsFor(x, _ => true);
        long rank = 2;
        for (var y = 0; y < table.Teams; y++)
        {
            if (y != x && among(y))
            {
                var (scored, allowed) = table.PointsFor(y, _ => true);
                rank += (scored > mine ? 1 : 0) + (allowed < against ? 1 : 0);
            }
        }

        return rank;
    }

    private static List<int> Best(List<int> teams, Func<int, Fraction> metric)
    {
        var values = teams.Select(metric).ToList();
        var top = values.Max();
        return [.. teams.Where((_, i) => values[i].CompareTo(top) == 0)];
    }
}

/// <summary>A non-negative-denominator fraction, compared exactly (no rounding decides a tie-break).</summary>
/// <param name="Numerator">The numerator.</param>
/// <param name="Denominator">The denominator (&gt; 0).</param>
public readonly record struct Fraction(long Numerator, long Denominator) : IComparable<Fraction>
{
    /// <summary>A win percentage: standing points over two per game (one half when no games).</summary>
    public static Fraction Of((long Points, long Games) record) => record.Games == 0 ? new Fraction(1, 2) : new Fraction(record.Points, 2 * record.Games);

    /// <inheritdoc />
    public int CompareTo(Fraction other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary>The value as a double.</summary>
    public double Value => (double)Numerator / Denominator;

    /// <summary>Larger.</summary>
    public static bool operator >(Fraction a, Fraction b) => a.CompareTo(b) > 0;

    /// <summary>Smaller.</summary>
    public static bool operator <(Fraction a, Fraction b) => a.CompareTo(b) < 0;

    /// <summary>Larger or equal.</summary>
    public static bool operator >=(Fraction a, Fraction b) => a.CompareTo(b) >= 0;

    /// <summary>Smaller or equal.</summary>
    public static bool operator <=(Fraction a, Fraction b) => a.CompareTo(b) <= 0;
}
