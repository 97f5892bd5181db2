using NflCompute.Kernels.DeviceKernels;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Kernels.Ilgpu;

/// <summary>A <see cref="SeasonLayout"/> flattened into the arrays <see cref="SeasonSimArgs"/> points at.</summary>
internal sealed class SeasonSimHostArrays
{
    private SeasonLayout _layout = null!;
    private int[] _gameKind = [];
    private long[] _thresholds = [];
    private int[] _h2hGames = [];
    private int[] _pairStart = [];
    private int[] _pairGames = [];
    private int[] _divisionStart = [];
    private int[] _divisionTeams = [];
    private int[] _conferenceDivisionStart = [];
    private int[] _conferenceDivisions = [];
    private int[] _conferenceTeamStart = [];
    private int[] _conferenceTeams = [];

    /// <summary>Bytes the arrays take on the device.</summary>
    public long Bytes { get; private init; }

    public static SeasonSimHostArrays From(SeasonLayout layout)
    {
        var (teams, games, job) = (layout.Teams, layout.Games, layout.Job);
        var pairs = new List<int>[teams * teams];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = [];
        }

        for (var g = 0; g < games; g++)
        {
            pairs[(job.Home[g] * teams) + job.Away[g]].Add(g);
            pairs[(job.Away[g] * teams) + job.Home[g]].Add(g);
        }

        var arrays = new SeasonSimHostArrays
        {
            _layout = layout,
            _gameKind = [.. Enumerable.Range(0, games).Select(g => (layout.DivisionGame[g] ? 1 : 0) | (layout.ConferenceGame[g] ? 2 : 0))],
            _thresholds = [.. layout.Thresholds.Select(t => (long)t)],
            _h2hGames = [.. layout.H2hGames.Zip(layout.H2hGamesLeft, (played, left) => played + left)],
            _pairStart = Offsets(pairs.Select(p => p.Count)),
            _pairGames = [.. pairs.SelectMany(p => p)],
            _divisionStart = Offsets(layout.Divisions.Select(d => d.Length)),
            _divisionTeams = [.. layout.Divisions.SelectMany(d => d)],
            _conferenceDivisionStart = Offsets(layout.ConferenceDivisions.Select(d => d.Length)),
            _conferenceDivisions = [.. layout.ConferenceDivisions.SelectMany(d => d)],
            _conferenceTeamStart = Offsets(layout.ConferenceTeams.Select(t => t.Length)),
            _conferenceTeams = [.. layout.ConferenceTeams.SelectMany(t => t)],
            Bytes = (4L * ((8 * teams) + (5 * games) + (3 * teams * teams) + 16)) + (8L * (teams + (2 * games))),
        };
        return arrays;
    }

    /// <summary>Copies everything to the device.</summary>
    public SeasonSimArgs Upload(BufferSet buffers)
    {
        var (layout, job) = (_layout, _layout.Job);
        return new SeasonSimArgs
        {
            Teams = layout.Teams,
            Games = layout.Games,
            PlayoffTeams = job.PlayoffTeams,
            Simulations = job.Simulations,
            Seed = job.Seed,
            Hot = job.Ratings is null ? 0 : 1,
            K = job.K,
            Points = buffers.Upload(layout.Points),
            DivisionPoints = buffers.Upload(layout.DivisionPoints),
            ConferencePoints = buffers.Upload(layout.ConferencePoints),
            DivisionGames = buffers.Upload(layout.DivisionGames),
            ConferenceGames = buffers.Upload(layout.ConferenceGames),
            Ratings = buffers.Upload(job.Ratings ?? []),
            Home = buffers.Upload(job.Home),
            Away = buffers.Upload(job.Away),
            GameKind = buffers.Upload(_gameKind),
            Thresholds = buffers.Upload(_thresholds),
            HomeEdge = buffers.Upload(job.HomeEdge ?? []),
            H2hPoints = buffers.Upload(layout.H2hPoints),
            H2hGames = buffers.Upload(_h2hGames),
            PairStart = buffers.Upload(_pairStart),
            PairGames = buffers.Upload(_pairGames),
            DivisionStart = buffers.Upload(_divisionStart),
            DivisionTeams = buffers.Upload(_divisionTeams),
            ConferenceDivisionStart = buffers.Upload(_conferenceDivisionStart),
            ConferenceDivisions = buffers.Upload(_conferenceDivisions),
            ConferenceTeamStart = buffers.Upload(_conferenceTeamStart),
            ConferenceTeams = buffers.Upload(_conferenceTeams),
        };
    }

    // [0, c0, c0 + c1, ...]: where each list starts in the flattened array, and its end.
    private static int[] Offsets(IEnumerable<int> counts)
    {
        var offsets = new List<int> { 0 };
        foreach (var c in counts)
        {
            offsets.Add(offsets[^1] + c);
        }

        return [.. offsets];
    }
}
