using System.Text.Json;

namespace NflCompute.Cli.Tests;

public sealed class StandingsCommandTests
{
    [Fact]
    public async Task Standings_OfTheShippedGames_GiveTheRealSeeds_AndSayWhichStepsDecided()
    {
        var run = await Nflc.RunAsync(new Dictionary<string, string>(), "standings", "2023", "--shipped", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var standings = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(["BAL", "BUF", "KC", "HOU", "CLE", "MIA", "PIT"], standings.GetProperty("seeds").GetProperty("AFC").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(32, standings.GetProperty("teams").GetArrayLength());
        Assert.True(standings.GetProperty("stepsDecided").GetProperty("HeadToHead").GetInt32() > 0);
    }

    [Fact]
    public async Task AnUnknownSeason_ExitsWithNotFound_NamingIt()
    {
        var run = await Nflc.RunAsync(new Dictionary<string, string>(), "standings", "1950", "--shipped");

        Assert.Equal(NflCompute.Core.ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("1950", run.Stderr, StringComparison.Ordinal);
    }
}
