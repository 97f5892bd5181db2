using NflCompute.Kernels.Nfl;

namespace NflCompute.Kernels.Tests;

/// <summary>Random leagues for the season simulation tests.</summary>
internal static class Leagues
{
    /// <summary>
    /// 32 teams in two conferences of four divisions of four, a few games played, 200 left between
    /// random teams (so many standings are level and every tie-breaker is reached), with fixed
    /// win probabilities or hot ratings, and the postseason (fixed: from random team ratings).
    /// </summary>
    public static SeasonSimJob Random(int simulations, int seed, bool hot = false, bool postseason = true)
    {
        var random = new System.Random(seed);
        var (home, away, p, edge) = (new int[200], new int[200], new double[200], new double[200]);
        for (var g = 0; g < home.Length; g++)
        {
            home[g] = random.Next(32);
            away[g] = (home[g] + 1 + random.Next(31)) % 32;
            p[g] = g == 0 ? 1 : g == 1 ? 0 : random.NextDouble();
            edge[g] = g % 17 == 0 ? 0 : 48;
        }

        return new SeasonSimJob
        {
            Teams = 32,
            Conference = [.. Enumerable.Range(0, 32).Select(t => t / 16)],
            Division = [.. Enumerable.Range(0, 32).Select(t => t / 4)],
            PlayoffTeams = 7,
            PlayedHome = [0, 5, 9, 2],
            PlayedAway = [1, 4, 12, 3],
            PlayedHomePoints = [2, 1, 0, 2],
            Home = home,
            Away = away,
            HomeWinProbability = p,
            Ratings = hot ? [.. Enumerable.Range(0, 32).Select(_ => 1350 + (300 * random.NextDouble()))] : null,
            Postseason = postseason,
            TeamRatings = [.. Enumerable.Range(0, 32).Select(_ => 1400 + (200 * random.NextDouble()))],
            HomeEdge = hot ? edge : null,
            K = 20,
            Simulations = simulations,
            Seed = (ulong)seed,
        };
    }
}
