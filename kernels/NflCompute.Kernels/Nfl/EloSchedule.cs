namespace NflCompute.Kernels.Nfl;

/// <summary>What happens to a team's rating before a game.</summary>
public enum SeasonStart : byte
{
    /// <summary>Nothing: not its first game of a season.</summary>
    None = 0,

    /// <summary>Its first game of a season: revert toward the mean.</summary>
    Revert = 1,

    /// <summary>A franchise that starts or returns: exactly <see cref="EloParameters.NewTeamRating"/>.</summary>
    NewTeam = 2,
}

/// <summary>
/// The team whose own stadium a neutral-site game was played in, when 538's rating update gave it
/// the home edge anyway (a Super Bowl in a participant's stadium: TB in February 2021, LAR in
/// February 2022). The published probability stays the neutral one.
/// </summary>
public enum NeutralSiteHost : byte
{
    /// <summary>A home game, or a neutral site that is neither team's.</summary>
    None = 0,

    /// <summary>The listed home team plays in its own stadium.</summary>
    Home = 1,

    /// <summary>The listed away team plays in its own stadium.</summary>
    Away = 2,
}

/// <summary>
/// Games in the order they were played, as arrays the Elo kernels read: franchise indices, site,
/// season starts, margins and results. Built once per games table; every parameter set of a sweep
/// runs over the same schedule.
/// </summary>
public sealed class EloSchedule
{
    /// <summary>Creates a schedule; every array has one entry per game (<paramref name="neutralHost"/> may be left out: no hosted neutral sites).</summary>
    /// <exception cref="ArgumentException">Lengths differ, or an index is outside the franchises.</exception>
    public EloSchedule(double[] seeds, int[] home, int[] away, bool[] neutral, SeasonStart[] homeStart, SeasonStart[] awayStart, double[] outcome, double[] margin, bool[] scored, NeutralSiteHost[]? neutralHost = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(home);
        Games = home.Length;
        neutralHost ??= new NeutralSiteHost[Games];
        foreach (var (name, length) in new[] { ("away", away.Length), ("neutral", neutral.Length), ("homeStart", homeStart.Length), ("awayStart", awayStart.Length), ("outcome", outcome.Length), ("margin", margin.Length), ("scored", scored.Length), ("neutralHost", neutralHost.Length) })
        {
            if (length != Games)
            {
                throw new ArgumentException($"{name} has {length} entries for {Games} games.", name);
            }
        }

        for (var g = 0; g < Games; g++)
        {
            if ((uint)home[g] >= (uint)seeds.Length || (uint)away[g] >= (uint)seeds.Length)
            {
                throw new ArgumentException($"Game {g} names a franchise outside 0..{seeds.Length - 1}.", nameof(home));
            }

            if (neutralHost[g] != NeutralSiteHost.None && !neutral[g])
            {
                throw new ArgumentException($"Game {g} has a neutral-site host but is a home game.", nameof(neutralHost));
            }
        }

        (Seeds, Home, Away, Neutral, HomeStart, AwayStart, Outcome, Margin, Scored, NeutralHost) = (seeds, home, away, neutral, homeStart, awayStart, outcome, margin, scored, neutralHost);
    }

    /// <summary>Number of games.</summary>
    public int Games { get; }

    /// <summary>Number of franchises.</summary>
    public int Teams => Seeds.Length;

    /// <summary>Each franchise's rating before the first game.</summary>
    public double[] Seeds { get; }

    /// <summary>Home franchise per game.</summary>
    public int[] Home { get; }

    /// <summary>Away franchise per game.</summary>
    public int[] Away { get; }

    /// <summary>Neutral site (no home edge).</summary>
    public bool[] Neutral { get; }

    /// <summary>Per game, the team whose home edge the rating update uses at a neutral site (<see cref="NeutralSiteHost"/>).</summary>
    public NeutralSiteHost[] NeutralHost { get; }

    /// <summary>The rating difference the update uses: <paramref name="d"/> (the published one) plus a neutral-site host's edge, from the home side.</summary>
    public static double UpdateDifference(double d, NeutralSiteHost host, double homeEdge) => host switch
    {
        NeutralSiteHost.Home => d + homeEdge,
        NeutralSiteHost.Away => d - homeEdge,
        _ => d,
    };

    /// <summary>What happens to the home team's rating before the game.</summary>
    public SeasonStart[] HomeStart { get; }

    /// <summary>What happens to the away team's rating before the game.</summary>
    public SeasonStart[] AwayStart { get; }

    /// <summary>1 home win, 0 home loss, 0.5 tie; NaN while unplayed (no update, not scored).</summary>
    public double[] Outcome { get; }

    /// <summary>|home score - away score|; 0 while unplayed.</summary>
    public double[] Margin { get; }

    /// <summary>Counted in a sweep's Brier score and log loss.</summary>
    public bool[] Scored { get; }
}
