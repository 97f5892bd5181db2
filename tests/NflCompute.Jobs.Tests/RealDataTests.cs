using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Jobs.Tests;

/// <summary>The shipped games through the loader's checks and classic Elo, against the published 538 figures (2006-2021, games with odds, ties excluded).</summary>
public sealed class RealDataTests
{
    internal static readonly GamesCsv.Parsed Shipped = GamesCsv.Parse(ShippedData.Read("games.csv"), League.Shipped, 2027);

    [Fact]
    public void TheShippedFile_PassesEveryCheck()
    {
        Assert.Empty(Shipped.Quarantined);
        Assert.Equal(7263, Shipped.Games.Count);
    }

    [Fact]
    public void ClassicElo_2006To2021GamesWithOdds_ScoresAs538Published()
    {
        var ordered = Storage.Games.GameStore.InPlayOrder(Shipped.Games);
        var built = EloInputs.Build(ordered);
        var games = EloEngine.Run(built.Schedule, EloParameters.Classic);
        var scored = ordered.Select((g, i) => (g, e: games[i]))
            .Where(x => x.g.Played && x.g.HomeScore != x.g.AwayScore && x.g.Season is >= 2006 and <= 2021 && x.g.HomeMoneyline is not null && x.g.AwayMoneyline is not null).ToList();

        var y = scored.Select(x => x.g.HomeScore > x.g.AwayScore ? 1.0 : 0).ToArray();
        var brier = scored.Select((x, i) => Math.Pow(x.e.HomeWinProbability - y[i], 2)).Average();
        var logLoss = scored.Select((x, i) => -((y[i] * Math.Log(x.e.HomeWinProbability)) + ((1 - y[i]) * Math.Log(1 - x.e.HomeWinProbability)))).Average();

        // 538 published 0.2202 / 0.6298 for these games from its own ratings file; the rules as
        // written give 0.22012 / 0.62956 here (an independent script agrees), within 1e-4 / 3e-4.
        Assert.Equal(4145, scored.Count);
        Assert.InRange(brier, 0.2202 - 1e-4, 0.2202 + 1e-4);
        Assert.InRange(logLoss, 0.6298 - 3e-4, 0.6298 + 3e-4);
    }
}
