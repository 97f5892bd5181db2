using NflCompute.Core.Jobs;
using NflCompute.Jobs.Nfl;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.LoadGames;

/// <summary>
/// <c>load-games</c>: a games CSV (the shipped one, or a user's file uploaded as a text dataset)
/// into Postgres. Every row is checked (<see cref="GamesCsv"/>); good rows are upserted, so loading
/// twice changes nothing; bad rows are kept in games_quarantine with line, column and reason.
/// </summary>
public sealed class LoadGamesHandler(GameStore games, DatasetResolver datasets, TimeProvider? time = null) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.LoadGames;


    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobPayload.Parse<LoadGamesSpec>(context, TaskKind);
        string csv;
        try
        {
            csv = payload.File is null ? ShippedData.Read("games.csv") : await datasets.GetTextAsync(payload.File, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DatasetNotFoundException or DatasetTypeException)
        {
            throw new JobInputException($"payload.file: {e.Message}", e);
        }

        var source = payload.Source ?? (payload.File is null ? ShippedData.GamesSource : payload.File);
        var latestSeason = (time ?? TimeProvider.System).GetUtcNow().Year + 1;
        var parsed = GamesCsv.Parse(csv, League.Shipped, latestSeason);
        var counts = await games.UpsertAsync(parsed.Games, parsed.Columns, context.CancellationToken).ConfigureAwait(false);
        await games.QuarantineAsync(context.Task.Id, source, parsed.Quarantined, context.CancellationToken).ConfigureAwait(false);
        return JobJson.Serialize(new
        {
            source,
            rows = parsed.Games.Count + parsed.Quarantined.Count,
            counts.New,
            counts.Changed,
            counts.Unchanged,
            quarantined = parsed.Quarantined.Count,
            problems = parsed.Quarantined.Take(100).Select(q => new { q.Line, q.Column, q.Reason }),
        });
    }
}
