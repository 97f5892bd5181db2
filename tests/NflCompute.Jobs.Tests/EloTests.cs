using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Nfl;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.Tests;

/// <summary>Classic 538 Elo against games computed by hand from the rules in data/nfl/README.md.</summary>
public sealed class EloTests
{
    private static GameRow Game(string id, int season, string away, int? awayScore, string home, int? homeScore, string location = "Home", string day = "1999-09-12") =>
        new(id, season, "REG", 1, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), null, away, awayScore, home, homeScore, location, null, null, null, null, null, null, null, false, null, null, null, null, null);

    private static readonly Dictionary<string, (int, double)> Seeds = new()
    {
        ["AAA"] = (1998, 1600), ["BBB"] = (1998, 1400), ["CLE"] = (1995, 1395.83496601), ["LAR"] = (1998, 1500), ["WSH"] = (1998, 1550),
    };

    private static EloGame[] Run(params GameRow[] games) => EloEngine.Run(EloInputs.Build(games, seeds: Seeds).Schedule, EloParameters.Classic);

    [Fact]
    public void AHomeWin_InTheFirstSeason_RevertsBothTeams_ThenMovesThemByTheMarginRule()
    {
        var g = Run(Game("g1", 1999, "BBB", 10, "AAA", 24))[0];

        // Season start: 2/3 * rating + 1/3 * 1505.
        var (home, away) = ((2.0 / 3 * 1600) + (1505.0 / 3), (2.0 / 3 * 1400) + (1505.0 / 3));
        var d = home - away + 65;
        var p = 1 / (Math.Pow(10, -d / 400) + 1);
        var shift = 20 * (Math.Log(14 + 1) * 2.2 / ((d * 0.001) + 2.2)) * (1 - p);
        Assert.Equal(home, g.HomePre, 9);
        Assert.Equal(away, g.AwayPre, 9);
        Assert.Equal(p, g.HomeWinProbability, 14);
        Assert.Equal(d / 25, g.Spread, 9);
        Assert.Equal(home + shift, g.HomePost, 9);
        Assert.Equal(away - shift, g.AwayPost, 9);
    }

    [Fact]
    public void AnAwayWin_SeesTheRatingDifferenceFromTheWinnersSide()
    {
        var g = Run(Game("g1", 1999, "BBB", 20, "AAA", 17))[0];

        var d = g.HomePre - g.AwayPre + 65;
        var p = 1 / (Math.Pow(10, -d / 400) + 1);
        var shift = 20 * (Math.Log(3 + 1) * 2.2 / ((-d * 0.001) + 2.2)) * (0 - p);
        Assert.True(shift < 0);
        Assert.Equal(g.HomePre + shift, g.HomePost, 9);
        Assert.Equal(g.AwayPre - shift, g.AwayPost, 9);
    }

    [Fact]
    public void ATie_UsesDivisorOne_AndHalfAWin()
    {
        var g = Run(Game("g1", 1999, "BBB", 20, "AAA", 20))[0];

        var p = g.HomeWinProbability;
        Assert.Equal(g.HomePre + (20 * 2.2 * Math.Log(2) * (0.5 - p)), g.HomePost, 9);
    }

    [Fact]
    public void ANeutralSite_HasNoHomeEdge()
    {
        var g = Run(Game("g1", 1999, "BBB", 20, "AAA", 27, "Neutral"))[0];

        Assert.Equal((g.HomePre - g.AwayPre) / 25, g.Spread, 9);
        Assert.Equal(1 / (Math.Pow(10, -(g.HomePre - g.AwayPre) / 400) + 1), g.HomeWinProbability, 15);
    }

    [Fact]
    public void ASeasonRollover_RevertsOnlyAtEachTeamsFirstGameOfTheSeason()
    {
        var games = Run(
            Game("a", 1999, "BBB", 10, "AAA", 24),
            Game("b", 1999, "AAA", 10, "BBB", 13, day: "1999-09-19"),
            Game("c", 2000, "BBB", 3, "AAA", 30, day: "2000-09-10"),
            Game("d", 2000, "AAA", 3, "BBB", 30, day: "2000-09-17"));

        Assert.Equal(games[0].HomePost, games[1].AwayPre); // same season: no reversion
        Assert.Equal((2.0 / 3 * games[1].AwayPost) + (1505.0 / 3), games[2].HomePre, 9);
        Assert.Equal((2.0 / 3 * games[1].HomePost) + (1505.0 / 3), games[2].AwayPre, 9);
        Assert.Equal(games[2].AwayPost, games[3].HomePre);
    }

    [Fact]
    public void Cleveland1999_StartsAtExactly1300_AsDoesHouston2002_ANewFranchise()
    {
        var games = Run(
            Game("a", 1999, "CLE", 0, "AAA", 43),
            Game("b", 2002, "BBB", 17, "HOU", 19, day: "2002-09-08"));

        Assert.Equal(1300, games[0].AwayPre);
        Assert.Equal(1300, games[1].HomePre);
    }

    [Fact]
    public void ARelocatedTeam_KeepsItsFranchisesRating()
    {
        var games = Run(
            Game("a", 2015, "WAS", 10, "STL", 20, day: "2015-09-13"),
            Game("b", 2016, "WAS", 10, "LA", 20, day: "2016-09-18"));

        Assert.Equal((2.0 / 3 * games[0].HomePost) + (1505.0 / 3), games[1].HomePre, 9);
        Assert.Equal((2.0 / 3 * games[0].AwayPost) + (1505.0 / 3), games[1].AwayPre, 9);
    }

    [Fact]
    public void AnUnplayedGame_GetsPreGameValuesOnly()
    {
        var games = Run(Game("a", 1999, "BBB", null, "AAA", null), Game("b", 1999, "BBB", 7, "AAA", 10, day: "1999-09-19"));

        Assert.Equal((games[0].HomePre, games[0].AwayPre), (games[0].HomePost, games[0].AwayPost));
        Assert.Equal(games[0].HomePre, games[1].HomePre);
    }

    // BBB's home games of 1999 at its own stadium BBB00, then a Super Bowl AAA (listed home) v BBB at BBB00.
    private static GameRow[] SeasonThenSuperBowl(string superBowlType, string superBowlStadium) =>
    [
        Game("r1", 1999, "AAA", 10, "BBB", 13) with { StadiumId = "BBB00" },
        Game("r2", 1999, "LAR", 10, "BBB", 13, day: "1999-09-19") with { StadiumId = "BBB00" },
        Game("sb", 1999, "BBB", 10, "AAA", 24, "Neutral", "2000-01-30") with { GameType = superBowlType, StadiumId = superBowlStadium },
    ];

    [Fact]
    public void ASuperBowlInOneTeamsOwnStadium_PublishesTheNeutralProbability_ButRatesWithTheHostsEdge()
    {
        var g = Run(SeasonThenSuperBowl("SB", "BBB00"))[2];

        var d = g.HomePre - g.AwayPre;
        Assert.Equal(1 / (Math.Pow(10, -d / 400) + 1), g.HomeWinProbability, 14);
        Assert.Equal(d / 25, g.Spread, 9);

        // The host, BBB, is listed away: from the home side the update sees d - 65.
        var du = d - 65;
        var pu = 1 / (Math.Pow(10, -du / 400) + 1);
        var shift = 20 * (Math.Log(14 + 1) * 2.2 / ((du * 0.001) + 2.2)) * (1 - pu);
        Assert.Equal(g.HomePre + shift, g.HomePost, 9);
        Assert.Equal(g.AwayPre - shift, g.AwayPost, 9);
    }

    [Theory]
    [InlineData("REG", "BBB00")] // an international game that carries its nominal team's stadium id
    [InlineData("SB", "NOR00")] // a Super Bowl at neither team's stadium
    public void OtherNeutralSites_StayPlainNeutral(string type, string stadium)
    {
        var g = Run(SeasonThenSuperBowl(type, stadium))[2];

        var d = g.HomePre - g.AwayPre;
        var p = 1 / (Math.Pow(10, -d / 400) + 1);
        var shift = 20 * (Math.Log(14 + 1) * 2.2 / ((d * 0.001) + 2.2)) * (1 - p);
        Assert.Equal(g.HomePre + shift, g.HomePost, 9);
    }

    [Fact]
    public void InTheShippedGames_TheHostedSuperBowls_AreTampaBayAndTheRams_AsTheDataShowsThem()
    {
        var games = RealDataTests.Shipped.Games;
        var stadiums = EloInputs.HomeStadiums(games);

        var hosted = games.Select(g => (g.GameId, Host: EloInputs.HostOf(g, stadiums))).Where(g => g.Host != NeutralSiteHost.None).ToList();

        Assert.Equal([("2020_21_KC_TB", NeutralSiteHost.Home), ("2021_22_LA_CIN", NeutralSiteHost.Away)], hosted);
        Assert.Contains(games, g => g.Neutral && g.GameType == "REG" && g.StadiumId == stadiums.GetValueOrDefault((g.Season, g.HomeTeam)));
    }
}
