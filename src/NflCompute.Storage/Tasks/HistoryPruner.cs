using Npgsql;

namespace NflCompute.Storage.Tasks;

/// <summary>What one prune deleted.</summary>
/// <param name="Tasks">Task rows.</param>
/// <param name="Attempts">Their attempt rows.</param>
/// <param name="Results">Their results (only when asked).</param>
/// <param name="AuditRows">Their results' audit rows (only with the results).</param>
public sealed record PruneReport(long Tasks, long Attempts, long Results, long AuditRows)
{
    internal PruneReport Plus(PruneReport chunk) => new(Tasks + chunk.Tasks, Attempts + chunk.Attempts, Results + chunk.Results, AuditRows + chunk.AuditRows);
}

/// <summary>How long a grid keeps its task history, as its owner set it for the scheduled prune.</summary>
/// <param name="Keep">What ended longer ago than this is deleted.</param>
/// <param name="WithResults">Whether their results (and audit rows) go too.</param>
public sealed record HistoryRetention(TimeSpan Keep, bool WithResults);

/// <summary>
/// Deletes a grid's task history older than a cutoff: the rows of tasks that ended before it
/// (completed, failed, cancelled) and their attempts; their results and the results' audit only
/// when asked. Model metrics, regressions, versions and datasets are kept. Deletes in chunks, so a
/// large prune holds no lock for long. The one-off prune and setting the retention need the
/// schema owner; the scheduled prune (<see cref="PruneByRetentionAsync"/>) runs as a worker, and
/// deletes only what the owner's retention allows (migration 0011).
/// </summary>
public sealed class HistoryPruner(NpgsqlDataSource dataSource, string grid)
{
    private const int Chunk = 10_000;

    /// <summary>Deletes what ended before <paramref name="cutoff"/> (as the owner).</summary>
    public Task<PruneReport> PruneAsync(DateTimeOffset cutoff, bool results, CancellationToken cancellationToken = default) =>
        InChunksAsync("SELECT * FROM nflc_prune_history_before(@grid, @cutoff, @results, @chunk)", command =>
        {
            command.Parameters.AddWithValue("cutoff", cutoff);
            command.Parameters.AddWithValue("results", results);
        }, cancellationToken);

    /// <summary>Deletes what the grid's retention says may go (nothing when none is set); any role allowed to run the scheduled prune.</summary>
    public Task<PruneReport> PruneByRetentionAsync(CancellationToken cancellationToken = default) =>
        InChunksAsync("SELECT * FROM nflc_prune_history(@grid, @chunk)", _ => { }, cancellationToken);

    /// <summary>Sets how long the grid keeps its history for the scheduled prune (as the owner).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than an hour.</exception>
    public async Task SetRetentionAsync(HistoryRetention retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentOutOfRangeException.ThrowIfLessThan(retention.Keep, TimeSpan.FromHours(1));
        var command = dataSource.CreateCommand("""
            INSERT INTO history_retention (grid, keep, with_results) VALUES (@grid, @keep, @results)
            ON CONFLICT (grid) DO UPDATE SET keep = excluded.keep, with_results = excluded.with_results, updated_at = now()
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("grid", grid);
            command.Parameters.AddWithValue("keep", retention.Keep);
            command.Parameters.AddWithValue("results", retention.WithResults);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The grid's retention, or null when none is set.</summary>
    public async Task<HistoryRetention?> GetRetentionAsync(CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT keep, with_results FROM history_retention WHERE grid = @grid");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("grid", grid);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new HistoryRetention(reader.GetTimeSpan(0), reader.GetBoolean(1)) : null;
            }
        }
    }

    private async Task<PruneReport> InChunksAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        var total = new PruneReport(0, 0, 0, 0);
        while (true)
        {
            var command = dataSource.CreateCommand(sql);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue("grid", grid);
                command.Parameters.AddWithValue("chunk", Chunk);
                bind(command);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return total;
                    }

                    var chunk = new PruneReport(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                    total = total.Plus(chunk);
                    if (chunk.Tasks < Chunk)
                    {
                        return total;
                    }
                }
            }
        }
    }
}
