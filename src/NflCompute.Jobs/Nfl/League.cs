using System.Collections.Frozen;
using System.Globalization;

namespace NflCompute.Jobs.Nfl;

/// <summary>
/// The league as it was each season: which team codes existed, their conference and division
/// (from the shipped divisions.csv, relocations included), and the franchise each code belongs to.
/// </summary>
public sealed class League
{
    private readonly List<(int First, int Last, string Team, string Conference, string Division)> _spans;

    private League(List<(int First, int Last, string Team, string Conference, string Division)> spans)
    {
        _spans = spans;
        Codes = spans.Select(s => s.Team).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The shipped league (divisions.csv).</summary>
    public static League Shipped { get; } = Parse(ShippedData.Read("divisions.csv"));

    /// <summary>Every team code the league has used.</summary>
    public IReadOnlySet<string> Codes { get; }

    /// <summary>The conference and division of <paramref name="team"/> in <paramref name="season"/>, or null when it did not play then.</summary>
    public (string Conference, string Division)? Alignment(string team, int season)
    {
        foreach (var s in _spans)
        {
            if (s.First <= season && season <= s.Last && string.Equals(s.Team, team, StringComparison.Ordinal))
            {
                return (s.Conference, s.Division);
            }
        }

        return null;
    }

    /// <summary>The team codes of <paramref name="season"/>, in code order.</summary>
    public IReadOnlyList<string> TeamsIn(int season) =>
        [.. _spans.Where(s => s.First <= season && season <= s.Last).Select(s => s.Team).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The franchise a code of the day belongs to, as FiveThirtyEight names it: LA and STL are LAR,
    /// SD and LAC are LAC, OAK and LV are OAK, WAS is WSH; every other code is itself.
    /// </summary>
    public static string Franchise(string code) => code switch
    {
        "LA" or "STL" => "LAR",
        "SD" => "LAC",
        "LV" => "OAK",
        "WAS" => "WSH",
        _ => code,
    };

    /// <summary>Parses divisions.csv: first_season,last_season,team,conference,division (an empty last season means still current).</summary>
    public static League Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var spans = new List<(int First, int Last, string Team, string Conference, string Division)>();
        foreach (var (line, number) in csv.Split('\n').Select((l, i) => (l.TrimEnd('\r'), i + 1)).Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            if (f.Length != 5 || !int.TryParse(f[0], CultureInfo.InvariantCulture, out var first))
            {
                throw new FormatException($"divisions.csv line {number}: expected first_season,last_season,team,conference,division; got '{line}'.");
            }

            var last = f[1].Length == 0 ? int.MaxValue : int.Parse(f[1], CultureInfo.InvariantCulture);
            spans.Add((first, last, f[2], f[3], f[4]));
        }

        return new League(spans);
    }
}
