using NflCompute.Core.Jobs;
using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Nfl;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.EloRatings;

/// <summary>
/// <c>elo-ratings</c>: classic 538 Elo over the loaded games from the 1998 seeds, for any range of
/// seasons: per game the pre-game ratings, home win probability and Elo spread, stored in
/// elo_ratings (run id = task id, queryable) and, for the played games, as datasets that
/// compare-models can read. One chain of dependent games: it runs on the host CPU in double.
/// </summary>
public sealed class EloRatingsHandler(GameStore games, EloRatingStore ratings, DatasetStore datasets) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.EloRatings;


    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobPayload.Parse<EloRatingsSpec>(context, TaskKind);
        if (payload.ToSeason < payload.FromSeason)
        {
            throw new JobInputException($"payload.toSeason {payload.ToSeason} is before payload.fromSeason {payload.FromSeason}.");
        }

        var parameters = EloParametersInput.Resolve(payload.Parameters, "payload.parameters");
        var played = await NflGames.ThroughAsync(games, payload.ToSeason, context.CancellationToken).ConfigureAwait(false);
        var built = EloInputs.Build(played, payload.FromSeason, payload.ToSeason ?? int.MaxValue);
        var elo = EloEngine.Run(built.Schedule, parameters);

        var rows = new List<EloRatingRow>();
        var (probabilities, outcomes) = (new List<double>(), new List<double>());
        for (var g = 0; g < played.Count; g++)
        {
            var (game, e) = (played[g], elo[g]);
            if (game.Season < payload.FromSeason)
            {
                continue;
            }

            rows.Add(new EloRatingRow(game.GameId, game.Season, game.HomeTeam, game.AwayTeam, e.HomePre, e.AwayPre, e.HomeWinProbability, e.Spread, game.Played ? e.HomePost : null, game.Played ? e.AwayPost : null));
            if (game.Played && game.HomeScore != game.AwayScore)
            {
                probabilities.Add(e.HomeWinProbability);
                outcomes.Add(game.HomeScore > game.AwayScore ? 1 : 0);
            }
        }

        await ratings.WriteAsync(context.Task.Id, rows, context.CancellationToken).ConfigureAwait(false);
        var score = EloEngine.Score(built.Schedule, parameters);
        var final = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var g = 0; g < played.Count; g++)
        {
            final[League.Franchise(played[g].HomeTeam)] = elo[g].HomePost;
            final[League.Franchise(played[g].AwayTeam)] = elo[g].AwayPost;
        }

        return JobJson.Serialize(new
        {
            runId = context.Task.Id,
            payload.FromSeason,
            toSeason = played[^1].Season,
            parameters,
            games = rows.Count,
            played = score.Games,
            brier = score.Brier,
            logLoss = score.LogLoss,
            datasets = new
            {
                homeWinProbability = await datasets.PutAsync([.. probabilities], "elo-home-win-probability", context.CancellationToken).ConfigureAwait(false),
                outcomes = await datasets.PutAsync([.. outcomes], "home-win", context.CancellationToken).ConfigureAwait(false),
            },
            ratings = final.OrderByDescending(r => r.Value).Select(r => new { franchise = r.Key, rating = r.Value }),
        });
    }
}
