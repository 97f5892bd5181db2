using NflCompute.Jobs.SeasonSim;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Jobs.Tests;

public sealed class SeasonSimTests
{
    private static IReadOnlyList<Storage.Games.GameRow> Ordered() =>
        Storage.Games.GameStore.InPlayOrder(RealDataTests.Shipped.Games);

    [Fact]
    public void WithFixedRatings_MeanWinsConvergeToWinsSoFarPlusEachTeamsWinProbabilities()
    {
        var built = SeasonSimInputs.Build(Ordered(), 2025, afterWeek: null, hot: false, EloParameters.Classic, simulations: 100_000, seed: 11);
        var job = built.Job;

        var result = SeasonSimulator.Run(job);

        Assert.Equal(13, built.LastWeekPlayed);
        for (var t = 0; t < job.Teams; t++)
        {
            var (expected, variance) = ((double)built.Standings[t].Wins + (built.Standings[t].Ties / 2.0), 0.0);
            for (var g = 0; g < job.Home.Length; g++)
            {
                var p = job.Home[g] == t ? job.HomeWinProbability[g] : job.Away[g] == t ? 1 - job.HomeWinProbability[g] : 0;
                (expected, variance) = (expected + p, variance + (p * (1 - p)));
            }

            var standardError = Math.Sqrt(variance / job.Simulations);
            Assert.True(Math.Abs(result.ExpectedWins[t] - expected) < (5 * standardError) + 1e-12, $"{built.Teams[t]}: {result.ExpectedWins[t]} vs {expected} (se {standardError})");
        }

        foreach (var conference in new[] { 0, 1 })
        {
            var teams = Enumerable.Range(0, job.Teams).Where(t => job.Conference[t] == conference).ToList();
            Assert.Equal(7, teams.Sum(t => result.Playoffs[t]), 9);
            Assert.Equal(4, teams.Sum(t => result.DivisionTitles[t]), 9);
            Assert.Equal(1, teams.Sum(t => result.TopSeed[t]), 9);
        }
    }

    [Fact]
    public void TheSameSeed_GivesTheSameSeasons_AndHotRatingsSpreadTheWinsMore()
    {
        var fixedRatings = SeasonSimInputs.Build(Ordered(), 2025, afterWeek: 4, hot: false, EloParameters.Classic, 20_000, 5).Job;
        var hotRatings = SeasonSimInputs.Build(Ordered(), 2025, afterWeek: 4, hot: true, EloParameters.Classic, 20_000, 5).Job;

        var first = SeasonSimulator.Run(fixedRatings);
        var again = SeasonSimulator.Run(fixedRatings);
        var hot = SeasonSimulator.Run(hotRatings);

        Assert.Equal(first.ExpectedWins, again.ExpectedWins);
        Assert.Equal(first.Playoffs, again.Playoffs);
        Assert.NotEqual(first.Playoffs, hot.Playoffs);
    }

    // Eight teams, two conferences of two divisions of two; every game played, nothing left.
    private static SeasonSimResult Decide(int[] home, int[] away, int[] homePoints) =>
        SeasonSimulator.Run(new SeasonSimJob
        {
            Teams = 8,
            Conference = [0, 0, 0, 0, 1, 1, 1, 1],
            Division = [0, 0, 1, 1, 2, 2, 3, 3],
            PlayoffTeams = 3,
            PlayedHome = home,
            PlayedAway = away,
            PlayedHomePoints = homePoints,
            Home = [],
            Away = [],
            HomeWinProbability = [],
            Simulations = 1,
        });

    [Fact]
    public void TeamsLevelOnRecord_AreSeparatedByHeadToHead_ThenByDivisionRecord()
    {
        // 0: beats 2 and 3, loses to 1 -> 2-1; 1: beats 0 and 3, loses to 2 -> 2-1. Head-to-head: 1.
        var result = Decide([0, 0, 1, 2, 1], [2, 3, 0, 1, 3], [2, 2, 2, 2, 2]);

        Assert.Equal(1, result.DivisionTitles[1]);
        Assert.Equal(0, result.DivisionTitles[0]);

        // 4 and 5 split their two games, both 2-2 overall; 4 went 1-1 in the division like 5, but 4
        // beat conference rival 6 and 5 lost to it: conference record decides.
        var split = Decide([4, 5, 4, 6, 7, 5], [5, 4, 6, 5, 4, 0], [2, 2, 2, 2, 2, 2]);
        Assert.Equal(1, split.DivisionTitles[4]);

        // The mirror image (4 and 5 swapped), so a coin flip cannot pass both.
        var mirrored = Decide([5, 4, 5, 6, 7, 4], [4, 5, 6, 4, 5, 0], [2, 2, 2, 2, 2, 2]);
        Assert.Equal(1, mirrored.DivisionTitles[5]);
    }
}
