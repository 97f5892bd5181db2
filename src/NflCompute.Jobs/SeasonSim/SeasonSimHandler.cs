using System.Diagnostics;
using NflCompute.Core.Jobs;
using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Nfl;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.SeasonSim;

/// <summary>
/// <c>season-sim</c>: Monte Carlo of the rest of a regular season from the Elo ratings after a
/// week, fixed or updated inside each simulated season ("hot"), with the real alignment of that
/// season, 7 playoff teams per conference from 2020 (6 before), and the tie-breakers of
/// <see cref="SeasonSimulator"/>. Per team: expected wins and the probabilities of the playoffs,
/// the division and the top seed. Runs on the worker's device: the SIMD CPU backend, or one
/// simulated season per GPU thread (identical results with fixed ratings).
/// </summary>
public sealed class SeasonSimHandler(GameStore games) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.SeasonSim;


    /// <summary>The tie-breakers, as the result states them.</summary>
    public const string TieBreakers = "the league's procedure, one place at a time with restarts: division: head-to-head, division record, common games, conference record, strength of victory, strength of schedule, coin toss; seeding and wild cards: each division's best first, head-to-head (two clubs) or sweep (three or more), conference record, common games (four each), strength of victory, strength of schedule, coin toss; the point-based steps are skipped (simulated games have no scores)";

    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobPayload.Parse<SeasonSimSpec>(context, TaskKind);
        var parameters = EloParametersInput.Resolve(payload.Parameters, "payload.parameters");
        var played = await NflGames.ThroughAsync(games, payload.Season, context.CancellationToken).ConfigureAwait(false);
        var built = SeasonSimInputs.Build(played, payload.Season, payload.AfterWeek, payload.Ratings == RatingMode.Hot, parameters, payload.Simulations, payload.Seed);
        context.Report(0.1, $"simulating {payload.Simulations:N0} seasons");
        var clock = Stopwatch.StartNew();
        var result = context.Device.SimulateSeasons(built.Job, context.CancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var job = built.Job;
        return JobJson.Serialize(new
        {
            device = context.Device.Profile.Name,
            payload.Season,
            afterWeek = built.LastWeekPlayed,
            gamesLeft = job.Home.Length,
            simulations = result.Simulations,
            ratings = payload.Ratings,
            seconds,
            seasonsPerSecond = result.Simulations / seconds,
            playoffTeamsPerConference = job.PlayoffTeams,
            tieBreakers = TieBreakers,
            tiebreakSteps = result.TiebreakSteps.Select(s => new { step = s.Step.ToString(), reachedPerSeason = s.ReachedPerSeason, decidedPerSeason = s.DecidedPerSeason }),
            teams = Enumerable.Range(0, job.Teams)
                .Select(t => new
                {
                    team = built.Teams[t],
                    alignment = League.Shipped.Alignment(built.Teams[t], payload.Season)!.Value is var a ? $"{a.Conference} {a.Division}" : "",
                    built.Standings[t].Wins,
                    built.Standings[t].Losses,
                    built.Standings[t].Ties,
                    expectedWins = result.ExpectedWins[t],
                    playoffs = result.Playoffs[t],
                    division = result.DivisionTitles[t],
                    topSeed = result.TopSeed[t],
                    seeds = result.Seeds[t],
                    bye = result.Bye[t],
                    divisionalRound = result.Divisional[t],
                    conferenceChampionship = result.ConferenceChampionship[t],
                    conferenceTitle = result.ConferenceTitle[t],
                    superBowl = result.SuperBowl[t],
                })
                .OrderBy(t => t.alignment, StringComparer.Ordinal).ThenByDescending(t => t.expectedWins),
        });
    }
}
