using ILGPU;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// The device-side view of a season simulation (<see cref="Nfl.SeasonSimJob"/> laid out by the
/// host): per team, per game left, per ordered pair of teams, and the alignment as offset lists.
/// </summary>
public struct SeasonSimArgs
{
    /// <summary>Teams in the league.</summary>
    public int Teams;

    /// <summary>Games left.</summary>
    public int Games;

    /// <summary>Playoff teams per conference.</summary>
    public int PlayoffTeams;

    /// <summary>Seasons to simulate.</summary>
    public long Simulations;

    /// <summary>The task's seed.</summary>
    public ulong Seed;

    /// <summary>1 when ratings move inside each simulated season (an int: kernel arguments are blittable).</summary>
    public int Hot;

    /// <summary>Hot ratings: the update speed of a simulated result.</summary>
    public double K;

    /// <summary>Per team: standing points, division points and conference points so far.</summary>
    public ArrayView<int> Points;

    /// <summary>Per team: division points so far.</summary>
    public ArrayView<int> DivisionPoints;

    /// <summary>Per team: conference points so far.</summary>
    public ArrayView<int> ConferencePoints;

    /// <summary>Per team: division games of the whole season.</summary>
    public ArrayView<int> DivisionGames;

    /// <summary>Per team: conference games of the whole season.</summary>
    public ArrayView<int> ConferenceGames;

    /// <summary>Hot ratings: each team's rating now.</summary>
    public ArrayView<double> Ratings;

    /// <summary>Per game left: the home team.</summary>
    public ArrayView<int> Home;

    /// <summary>Per game left: the away team.</summary>
    public ArrayView<int> Away;

    /// <summary>Per game left: bit 0 a division game, bit 1 a conference game.</summary>
    public ArrayView<int> GameKind;

    /// <summary>Per game left, fixed ratings: the home win threshold on a 32-bit draw (up to 2^32).</summary>
    public ArrayView<long> Thresholds;

    /// <summary>Per game left, hot ratings: the home edge (0 at a neutral site).</summary>
    public ArrayView<double> HomeEdge;

    /// <summary>Per ordered pair [x * Teams + y]: points x earned against y so far.</summary>
    public ArrayView<int> H2hPoints;

    /// <summary>Per ordered pair: games between them in the whole season.</summary>
    public ArrayView<int> H2hGames;

    /// <summary>Per ordered pair: where its games left start in <see cref="PairGames"/> (one more entry at the end).</summary>
    public ArrayView<int> PairStart;

    /// <summary>The games left of each pair, by index.</summary>
    public ArrayView<int> PairGames;

    /// <summary>Where each division's teams start in <see cref="DivisionTeams"/> (one more entry at the end).</summary>
    public ArrayView<int> DivisionStart;

    /// <summary>The teams of each division, in team order.</summary>
    public ArrayView<int> DivisionTeams;

    /// <summary>Where each conference's divisions start in <see cref="ConferenceDivisions"/> (3 entries).</summary>
    public ArrayView<int> ConferenceDivisionStart;

    /// <summary>The divisions of each conference, by division index.</summary>
    public ArrayView<int> ConferenceDivisions;

    /// <summary>Where each conference's teams start in <see cref="ConferenceTeams"/> (3 entries).</summary>
    public ArrayView<int> ConferenceTeamStart;

    /// <summary>The teams of each conference, in team order.</summary>
    public ArrayView<int> ConferenceTeams;
}
