using NflCompute.Jobs.Nfl;

namespace NflCompute.Jobs.Tests;

public sealed class GamesCsvTests
{
    private const string Header = "game_id,season,game_type,week,gameday,weekday,gametime,away_team,away_score,home_team,home_score,location,result,total";

    [Fact]
    public void EveryBadRow_IsQuarantinedWithItsLineColumnAndReason_AndGoodRowsPass()
    {
        var csv = string.Join('\n',
            Header,
            "2023_01_DET_KC,2023,REG,1,2023-09-07,Thursday,20:20,DET,21,KC,20,Home,-1,41", // line 2: good
            "2023_01_XXX_KC,2023,REG,1,2023-09-07,Thursday,20:20,XXX,21,KC,20,Home,-1,41", // unknown team
            "2005_01_LV_KC,2005,REG,1,2005-09-11,Sunday,13:00,LV,21,KC,20,Home,-1,41", // LV did not exist yet
            "2023_01_KC_KC,2023,REG,1,2023-09-07,Thursday,20:20,KC,21,KC,20,Home,-1,41", // home == away
            "2023_01_DET_KC,2023,REG,1,2023-09-07,Thursday,20:20,DET,21,KC,20,Home,-1,41", // duplicate of line 2
            "2023_02_DET_SEA,2023,REG,2,2023-09-17,Sunday,16:05,DET,31,SEA,,Home,,", // one score only
            "2023_02_NYG_ARI,2023,REG,2,2023-09-17,Sunday,16:05,NYG,-3,ARI,28,Home,31,25", // negative score
            "1998_02_NYG_ARI,1998,REG,2,1998-09-17,Sunday,16:05,NYG,3,ARI,28,Home,25,31", // season out of range
            "2023_02_NYG_DAL,2023,REG,2,2023-09-17,Sunday,16:05,NYG,3,DAL,28,Home,20,31", // result inconsistent
            "2023_02_NYG_MIA,2023,XX,2,2023-09-17,Sunday,16:05,NYG,3,MIA,28,Home,25,31", // game type
            "2023_02_NYG_NO,2023,REG,2,2023-13-17,Sunday,16:05,NYG,3,NO,28,Home,25,31", // date
            "2023_02_NYG_NE,2023,REG,2,2023-09-17,Sunday", // too few fields
            "2023_03_NYG_SF,2023,REG,3,2023-09-21,Thursday,20:15,NYG,,SF,,Home,,"); // unplayed: good

        var parsed = GamesCsv.Parse(csv, League.Shipped, 2027);

        Assert.Equal(["2023_01_DET_KC", "2023_03_NYG_SF"], parsed.Games.Select(g => g.GameId));
        Assert.Equal(
            [
                (3, "away_team", "unknown team code 'XXX'"),
                (4, "away_team", "team LV did not play in 2005"),
                (5, "home_team", "home and away are both KC"),
                (6, "game_id", "duplicate game_id 2023_01_DET_KC; first on line 2"),
                (7, "home_score", "one score is present and the other is not"),
                (8, "away_score", "-3 is outside 0..200"),
                (9, "season", "1998 is outside 1999..2027"),
                (10, "result", "result 20 is not home_score - away_score = 25"),
                (11, "game_type", "'XX' is not one of REG, WC, DIV, CON, SB"),
                (12, "gameday", "'2023-13-17' is not a date (yyyy-MM-dd)"),
                (13, null, "6 fields where the header has 14"),
            ],
            parsed.Quarantined.Select(q => (q.Line, q.Column, q.Reason)));
        Assert.StartsWith("2023_01_XXX_KC,", parsed.Quarantined[0].Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutARequiredColumn_IsRefusedNamingIt()
    {
        var e = Assert.Throws<JobInputException>(() => GamesCsv.Parse("game_id,season,week\n", League.Shipped, 2027));

        Assert.Contains("lacks game_type, gameday, away_team", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotedFields_AreRead()
    {
        var parsed = GamesCsv.Parse(Header + "\n\"2023_01_DET_KC\",2023,REG,1,2023-09-07,\"Thu, night\",20:20,DET,21,KC,20,Home,-1,41\n", League.Shipped, 2027);

        Assert.Single(parsed.Games);
    }
}
