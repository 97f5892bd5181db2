using NflCompute.Kernels.Nfl;

namespace NflCompute.Kernels.Tests;

public sealed class SeasonSimulatorTests
{
    // A random 32-team league (two conferences of four divisions of four) with 200 games left.
    private static SeasonSimJob League(int simulations)
    {
        var random = new System.Random(3);
        var (home, away, p) = (new int[200], new int[200], new double[200]);
        for (var g = 0; g < home.Length; g++)
        {
            home[g] = random.Next(32);
            away[g] = (home[g] + 1 + random.Next(31)) % 32;
            p[g] = g == 0 ? 1 : g == 1 ? 0 : random.NextDouble();
        }

        return new SeasonSimJob
        {
            Teams = 32,
            Conference = [.. Enumerable.Range(0, 32).Select(t => t / 16)],
            Division = [.. Enumerable.Range(0, 32).Select(t => t / 4)],
            PlayoffTeams = 7,
            PlayedHome = [0, 5, 9],
            PlayedAway = [1, 4, 12],
            PlayedHomePoints = [2, 1, 0],
            Home = home,
            Away = away,
            HomeWinProbability = p,
            Postseason = true,
            TeamRatings = [.. Enumerable.Range(0, 32).Select(t => 1400 + (7.0 * t))],
            Simulations = simulations,
            Seed = 9,
        };
    }

    [Fact]
    public void EightSeasonsPerVector_GiveExactlyTheSeasonsOfTheOneAtATimePath()
    {
        var job = League(2_003); // not a multiple of eight: the tail takes the other path

        var wide = SeasonSimulator.Run(job, wide: true);
        var narrow = SeasonSimulator.Run(job, wide: false);

        Assert.Equal(narrow.ExpectedWins, wide.ExpectedWins);
        Assert.Equal(narrow.Playoffs, wide.Playoffs);
        Assert.Equal(narrow.DivisionTitles, wide.DivisionTitles);
        Assert.Equal(narrow.TopSeed, wide.TopSeed);
        Assert.Equal(narrow.Seeds, wide.Seeds);
        Assert.Equal(narrow.SuperBowl, wide.SuperBowl);
    }

    [Fact]
    public void HotRatings_EightSeasonsPerVector_AgreeWithOneAtATime_ToTheLastBitOfP()
    {
        // The vector path's exp and the scalar path's pow may differ in p's last bit, which flips a
        // draw only when it lands on the threshold (about 2^-32 per game).
        var job = Leagues.Random(simulations: 2_003, seed: 13, hot: true);

        var (wide, narrow) = (SeasonSimulator.Run(job, wide: true), SeasonSimulator.Run(job, wide: false));

        const double season = 1.0 / 2_003;
        for (var t = 0; t < job.Teams; t++)
        {
            Assert.Equal(narrow.ExpectedWins[t], wide.ExpectedWins[t], 20 * season);
            Assert.Equal(narrow.Playoffs[t], wide.Playoffs[t], 2 * season);
            Assert.Equal(narrow.SuperBowl[t], wide.SuperBowl[t], 2 * season);
        }

        Assert.NotEqual(narrow.SuperBowl, SeasonSimulator.Run(Leagues.Random(simulations: 2_003, seed: 13, hot: false), wide: true).SuperBowl);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CertainGames_AreAlwaysWonByTheFavourite(bool wide)
    {
        var job = League(1_000);
        var certain = job.HomeWinProbability.Select((_, g) => g % 2 == 0 ? 1.0 : 0.0).ToArray();
        var expected = new double[32];
        expected[0] += 1; // the played games: 0 beat 1, 5 and 4 tied, 12 beat 9
        (expected[5], expected[4], expected[12]) = (0.5, 0.5, 1);
        for (var g = 0; g < certain.Length; g++)
        {
            expected[certain[g] == 1 ? job.Home[g] : job.Away[g]]++;
        }

        var result = SeasonSimulator.Run(new SeasonSimJob
        {
            Teams = job.Teams, Conference = job.Conference, Division = job.Division, PlayoffTeams = job.PlayoffTeams,
            PlayedHome = job.PlayedHome, PlayedAway = job.PlayedAway, PlayedHomePoints = job.PlayedHomePoints,
            Home = job.Home, Away = job.Away, HomeWinProbability = certain, Simulations = job.Simulations, Seed = job.Seed,
        }, wide);

        Assert.Equal(expected, result.ExpectedWins);
    }
}
