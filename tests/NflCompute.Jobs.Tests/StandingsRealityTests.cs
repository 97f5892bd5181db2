using NflCompute.Jobs.Nfl;
using NflCompute.Jobs.SeasonSim;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.Tests;

/// <summary>
/// The league's tie-breakers against what happened: for every completed season 2002-2024 of the
/// shipped games, the standings computed from the regular season give the real playoff field, the
/// real division winners, the real wild-card games (the better seed at home) and, with the real
/// wild-card winners, the real divisional games (re-seeded: the top seed hosts the lowest left).
/// </summary>
public sealed class StandingsRealityTests
{
    public static TheoryData<int> Seasons() => [.. Enumerable.Range(2002, 23)];

    private static (string Home, string Away) Pair(GameRow g) => (g.HomeTeam, g.AwayTeam);

    [Theory]
    [MemberData(nameof(Seasons))]
    public void TheStandings_GiveTheRealPlayoffField_DivisionWinners_AndPlayoffGames(int season)
    {
        var games = RealDataTests.Shipped.Games;
        var standings = NflStandings.Compute(games, season);
        var postseason = games.Where(g => g.Season == season).ToList();
        var wildCard = postseason.Where(g => g.GameType == "WC").ToList();
        var divisional = postseason.Where(g => g.GameType == "DIV").ToList();

        var field = wildCard.Concat(divisional).SelectMany(g => new[] { g.HomeTeam, g.AwayTeam }).ToHashSet(StringComparer.Ordinal);
        var seeded = standings.Seeds.Values.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
        Assert.True(field.SetEquals(seeded), $"{season}: playoff field {string.Join(",", field.Order())}, computed {string.Join(",", seeded.Order())}");

        // Division winners: the teams with a bye and the wild-card round's hosts.
        var byes = field.Where(t => !wildCard.Any(g => g.HomeTeam == t || g.AwayTeam == t));
        var winners = byes.Concat(wildCard.Select(g => g.HomeTeam)).ToHashSet(StringComparer.Ordinal);
        var computedWinners = standings.Teams.Where(t => t.DivisionRank == 1).Select(t => t.Team).ToHashSet(StringComparer.Ordinal);
        Assert.True(winners.SetEquals(computedWinners), $"{season}: division winners {string.Join(",", winners.Order())}, computed {string.Join(",", computedWinners.Order())}");

        foreach (var (conference, seedList) in standings.Seeds)
        {
            var seeds = seedList.ToList();
            var n = seeds.Count;
            var byesCount = n == 7 ? 1 : 2;

            // Wild-card round: seed k hosts seed n + 1 + byes - k... i.e. 2v7, 3v6, 4v5 (or 3v6, 4v5).
            var expectedWildCard = Enumerable.Range(byesCount, (n - byesCount) / 2).Select(k => (seeds[k], seeds[n - 1 - (k - byesCount)])).ToHashSet();
            var actualWildCard = wildCard.Where(g => seeds.Contains(g.HomeTeam)).Select(Pair).ToHashSet();
            Assert.True(expectedWildCard.SetEquals(actualWildCard), $"{season} {conference}: wild-card games {string.Join(" ", actualWildCard)}, seeds {string.Join(",", seeds)}");

            // Divisional round: the byes and the wild-card winners, re-seeded.
            var advanced = seeds.Take(byesCount).Concat(wildCard.Where(g => seeds.Contains(g.HomeTeam)).Select(g => g.HomeScore > g.AwayScore ? g.HomeTeam : g.AwayTeam))
                .OrderBy(t => seeds.IndexOf(t)).ToList();
            var expectedDivisional = new HashSet<(string, string)> { (advanced[0], advanced[3]), (advanced[1], advanced[2]) };
            var actualDivisional = divisional.Where(g => seeds.Contains(g.HomeTeam)).Select(Pair).ToHashSet();
            Assert.True(expectedDivisional.SetEquals(actualDivisional), $"{season} {conference}: divisional games {string.Join(" ", actualDivisional)}, seeds {string.Join(",", seeds)}");
        }
    }
}

/// <summary>The season simulation of a season whose regular season is over: its seeds are the standings' seeds, in every simulated season.</summary>
public sealed class CompletedSeasonSimulationTests
{
    [Theory]
    [InlineData(2019)]
    [InlineData(2024)]
    public void SimulatingAFinishedRegularSeason_SeedsEveryTeamAsTheStandingsDo_AndPlaysOnlyThePostseason(int season)
    {
        var games = RealDataTests.Shipped.Games;
        var built = SeasonSimInputs.Build(games, season, afterWeek: null, hot: false, Kernels.Nfl.EloParameters.Classic, simulations: 2_000, seed: 5);
        var result = Kernels.Nfl.SeasonSimulator.Run(built.Job);
        var standings = NflStandings.Compute(games, season);

        Assert.Empty(built.Job.Home); // nothing left of the regular season
        foreach (var seeds in standings.Seeds.Values)
        {
            for (var s = 0; s < seeds.Count; s++)
            {
                var t = built.Teams.ToList().IndexOf(seeds[s]);
                Assert.True(result.Seeds[t][s] == 1, $"{season}: {seeds[s]} is seed {s + 1} in {result.Seeds[t][s]:P0} of the simulated seasons");
            }
        }

        Assert.Equal(1, result.SuperBowl.Sum(), 9);
        Assert.Equal(standings.Seeds.Values.Sum(s => s.Count == 7 ? 1 : 2), result.Bye.Sum(), 9);
    }
}
