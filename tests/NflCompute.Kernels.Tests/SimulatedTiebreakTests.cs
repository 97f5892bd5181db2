using NflCompute.Kernels.Nfl;
using NflCompute.Kernels.Nfl.Standings;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// The simulator's tie-breaking against the exact procedure (<see cref="Tiebreakers"/>) on the same
/// simulated seasons: a random league where many standings are level, one season per seed,
/// rebuilt from the same draws, with the simulator's coin.
/// </summary>
public sealed class SimulatedTiebreakTests
{
    [Fact]
    public void EverySimulatedSeason_HasTheDivisionWinners_PlayoffTeams_AndSeeds_OfTheExactProcedure()
    {
        var reached = new long[Enum.GetValues<TiebreakStep>().Length];
        for (var seed = 1; seed <= 300; seed++)
        {
            var job = Leagues.Random(simulations: 1, seed: seed);
            var simulated = SeasonSimulator.Run(job);

            // The same season again: the simulator's draws for season 0, its coin, no scores.
            var (k1, k2) = CounterRng.Keys(job.Seed, 0x5EA5, 0);
            var games = new List<PlayedGame>();
            for (var g = 0; g < job.PlayedHome.Length; g++)
            {
                var points = job.PlayedHomePoints[g];
                games.Add(new PlayedGame(job.PlayedHome[g], job.PlayedAway[g], points == 2 ? 1 : 0, points == 0 ? 1 : 0));
            }

            for (var g = 0; g < job.Home.Length; g++)
            {
                var homeWin = CounterRng.DrawWord(k1, k2, (uint)g) < (ulong)Math.Round(job.HomeWinProbability[g] * 4294967296.0);
                games.Add(new PlayedGame(job.Home[g], job.Away[g], homeWin ? 1 : 0, homeWin ? 0 : 1));
            }

            var exact = new Tiebreakers(new LeagueTable(job.Conference, job.Division, games, scoresKnown: false), 0, t => CounterRng.DrawWord(k1, k2, (uint)(job.Home.Length + t)));
            var winners = Enumerable.Range(0, job.Teams).GroupBy(t => job.Division[t]).Select(d => exact.DivisionOrder(d, 1)[0]).ToHashSet();
            var seeds = new[] { exact.Seeds(0, job.PlayoffTeams), exact.Seeds(1, job.PlayoffTeams) };
            for (var t = 0; t < job.Teams; t++)
            {
                Assert.True(simulated.DivisionTitles[t] == (winners.Contains(t) ? 1 : 0), $"seed {seed}: team {t} division title {simulated.DivisionTitles[t]}, exact {winners.Contains(t)}");
                Assert.True(simulated.Playoffs[t] == (seeds.Any(s => s.Contains(t)) ? 1 : 0), $"seed {seed}: team {t} playoffs {simulated.Playoffs[t]}; exact seeds {string.Join(",", seeds[0])} / {string.Join(",", seeds[1])}; simulated {string.Join(",", Enumerable.Range(0, job.Teams).Where(x => simulated.Playoffs[x] > 0))}");
                Assert.True(simulated.TopSeed[t] == (seeds.Any(s => s[0] == t) ? 1 : 0), $"seed {seed}: team {t} top seed {simulated.TopSeed[t]}");
                var exactSeed = seeds.Select(s => s.IndexOf(t)).Max();
                Assert.True(Enumerable.Range(0, job.PlayoffTeams).All(s => simulated.Seeds[t][s] == (s == exactSeed ? 1 : 0)), $"seed {seed}: team {t} seeds {string.Join(",", simulated.Seeds[t])}, exact {exactSeed + 1}");
            }

            foreach (var step in simulated.TiebreakSteps)
            {
                reached[(int)step.Step] += (long)step.DecidedPerSeason;
            }
        }

        // The random league reaches deep into the procedure.
        Assert.All(new[] { TiebreakStep.HeadToHead, TiebreakStep.DivisionRecord, TiebreakStep.ConferenceRecord, TiebreakStep.CommonGames, TiebreakStep.StrengthOfVictory }, s => Assert.True(reached[(int)s] > 0, $"{s} never decided"));
    }
}
