using NflCompute.Kernels.Nfl;

namespace NflCompute.Kernels.Tests;

/// <summary>The postseason the season simulation plays after the regular season.</summary>
public sealed class PostseasonTests
{
    // A league whose every game left is certain (p 0 or 1), so each simulated season is the same.
    private static SeasonSimJob Certain(int playoffTeams, double[] ratings, int simulations = 16)
    {
        var job = Leagues.Random(simulations, seed: 21);
        return new SeasonSimJob
        {
            Teams = job.Teams,
            Conference = job.Conference,
            Division = job.Division,
            PlayoffTeams = playoffTeams,
            PlayedHome = job.PlayedHome,
            PlayedAway = job.PlayedAway,
            PlayedHomePoints = job.PlayedHomePoints,
            Home = job.Home,
            Away = job.Away,
            HomeWinProbability = [.. job.HomeWinProbability.Select(p => Math.Round(p))],
            Postseason = true,
            TeamRatings = ratings,
            Simulations = simulations,
            Seed = 3,
        };
    }

    // The bracket by hand: byes up to a power of two, then each round the best seed left hosts the worst.
    private static (List<int> Divisional, List<int> Final, int Champion) Bracket(IReadOnlyList<int> seeds, double[] rating)
    {
        var size = 1;
        while (size < seeds.Count)
        {
            size <<= 1;
        }

        var alive = Enumerable.Range(0, seeds.Count).ToList();
        var (divisional, final) = (new List<int>(), new List<int>());
        var byes = size - seeds.Count;
        while (alive.Count > 1)
        {
            var playing = alive.Skip(byes).ToList();
            var next = alive.Take(byes).ToList();
            for (int lo = 0, hi = playing.Count - 1; lo < hi; lo++, hi--)
            {
                next.Add(rating[seeds[playing[lo]]] >= rating[seeds[playing[hi]]] ? playing[lo] : playing[hi]);
            }

            alive = [.. next.Order()];
            byes = 0;
            if (alive.Count == 4)
            {
                divisional = [.. alive.Select(s => seeds[s])];
            }

            if (alive.Count == 2)
            {
                final = [.. alive.Select(s => seeds[s])];
            }
        }

        return (divisional, final, seeds[alive[0]]);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(6)]
    public void WithCertainGames_TheBracketIsTheRulebooks_ByesReseedingAndAllToTheBetterTeam(int playoffTeams)
    {
        // Ratings thousands apart: the better team always wins, home edge or not.
        var ratings = Enumerable.Range(0, 32).Select(t => 5000.0 * ((t * 7) % 32)).ToArray();
        var result = SeasonSimulator.Run(Certain(playoffTeams, ratings));

        var champions = new List<int>();
        for (var c = 0; c < 2; c++)
        {
            var seeds = Enumerable.Range(0, playoffTeams).Select(s => Enumerable.Range(0, 32).Single(t => result.Seeds[t][s] == 1 && t / 16 == c)).ToList();
            var (divisional, final, champion) = Bracket(seeds, ratings);
            champions.Add(champion);
            for (var t = c * 16; t < (c + 1) * 16; t++)
            {
                Assert.Equal(seeds.Take(8 - playoffTeams).Contains(t) ? 1 : 0, result.Bye[t]);
                Assert.Equal(divisional.Contains(t) ? 1 : 0, result.Divisional[t]);
                Assert.Equal(final.Contains(t) ? 1 : 0, result.ConferenceChampionship[t]);
                Assert.Equal(t == champion ? 1 : 0, result.ConferenceTitle[t]);
            }
        }

        var winner = ratings[champions[0]] > ratings[champions[1]] ? champions[0] : champions[1];
        Assert.All(Enumerable.Range(0, 32), t => Assert.Equal(t == winner ? 1 : 0, result.SuperBowl[t]));
    }

    [Fact]
    public void EverySeason_HasOneChampion_TwoConferenceTitles_FourFinalists_EightInTheDivisionalRound_AndEachSeedOnce()
    {
        var result = SeasonSimulator.Run(Leagues.Random(simulations: 3_000, seed: 4));

        Assert.Equal(1, result.SuperBowl.Sum(), 9);
        Assert.Equal(2, result.ConferenceTitle.Sum(), 9);
        Assert.Equal(4, result.ConferenceChampionship.Sum(), 9);
        Assert.Equal(8, result.Divisional.Sum(), 9);
        Assert.Equal(2, result.Bye.Sum(), 9);
        Assert.All(Enumerable.Range(0, 7), s => Assert.Equal(2, result.Seeds.Sum(team => team[s]), 9));
        Assert.All(Enumerable.Range(0, 32), t => Assert.Equal(result.Playoffs[t], result.Seeds[t].Sum(), 9));
    }

    [Fact]
    public void HotRatingsThatDoNotMove_PlayThePostseasonAsFixedOnes()
    {
        // K = 0: hot ratings never move, so a hot run is the fixed run with the same probabilities.
        var hot = Leagues.Random(simulations: 2_000, seed: 6, hot: true);
        var still = new SeasonSimJob
        {
            Teams = hot.Teams, Conference = hot.Conference, Division = hot.Division, PlayoffTeams = hot.PlayoffTeams,
            PlayedHome = hot.PlayedHome, PlayedAway = hot.PlayedAway, PlayedHomePoints = hot.PlayedHomePoints,
            Home = hot.Home, Away = hot.Away, HomeWinProbability = hot.HomeWinProbability,
            Ratings = hot.Ratings, HomeEdge = hot.HomeEdge, K = 0, Postseason = true, TeamRatings = hot.TeamRatings,
            Simulations = hot.Simulations, Seed = hot.Seed,
        };
        var fixedRatings = new SeasonSimJob
        {
            Teams = hot.Teams, Conference = hot.Conference, Division = hot.Division, PlayoffTeams = hot.PlayoffTeams,
            PlayedHome = hot.PlayedHome, PlayedAway = hot.PlayedAway, PlayedHomePoints = hot.PlayedHomePoints,
            Home = hot.Home, Away = hot.Away,
            HomeWinProbability = [.. Enumerable.Range(0, hot.Home.Length).Select(g => EloEngine.WinProbability(hot.Ratings![hot.Home[g]] - hot.Ratings[hot.Away[g]] + hot.HomeEdge![g]))],
            Postseason = true, TeamRatings = hot.Ratings, Simulations = hot.Simulations, Seed = hot.Seed,
        };

        var (a, b) = (SeasonSimulator.Run(still), SeasonSimulator.Run(fixedRatings));

        Assert.Equal(b.Playoffs, a.Playoffs);
        Assert.Equal(b.ConferenceTitle, a.ConferenceTitle);
        Assert.Equal(b.SuperBowl, a.SuperBowl);
    }
}
