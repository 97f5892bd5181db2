using Npgsql;

namespace NflCompute.Storage.Tasks;

/// <summary>What one prune deleted.</summary>
/// <param name="Tasks">Task rows.</param>
/// <param name="Attempts">Their attempt rows.</param>
/// <param name="Results">Their results (only when asked).</param>
/// <param name="AuditRows">Their results' audit rows (only with the results).</param>
public sealed record PruneReport(long Tasks, long Attempts, long Results, long AuditRows);

/// <summary>
/// Deletes a grid's task history older than a cutoff: the rows of tasks that ended before it
/// (completed, failed, cancelled) and their attempts; their results and the results' audit only
/// when asked. Model metrics, regressions, versions and datasets are kept. Deletes in chunks, so a
/// large prune holds no lock for long. Run as the schema owner (workers and the dashboard may not delete).
/// </summary>
public sealed class HistoryPruner(NpgsqlDataSource owner, string grid)
{
    private const int Chunk = 10_000;

    /// <summary>Deletes what ended before <paramref name="cutoff"/>.</summary>
    public async Task<PruneReport> PruneAsync(DateTimeOffset cutoff, bool results, CancellationToken cancellationToken = default)
    {
        var total = new PruneReport(0, 0, 0, 0);
        while (true)
        {
            var command = owner.CreateCommand("""
                WITH doomed AS (
                    SELECT grid, task_id FROM tasks
                    WHERE grid = @grid AND finished_at < @cutoff AND status IN ('completed', 'failed', 'cancelled')
                    LIMIT @chunk
                ), attempts AS (
                    DELETE FROM task_attempts a USING doomed d WHERE a.grid = d.grid AND a.task_id = d.task_id RETURNING 1
                ), audit AS (
                    DELETE FROM result_audit r USING doomed d WHERE @results AND r.grid = d.grid AND r.task_id = d.task_id RETURNING 1
                ), kept AS (
                    DELETE FROM results r USING doomed d WHERE @results AND r.grid = d.grid AND r.task_id = d.task_id RETURNING 1
                ), gone AS (
                    DELETE FROM tasks t USING doomed d WHERE t.grid = d.grid AND t.task_id = d.task_id RETURNING 1
                )
                SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM attempts), (SELECT count(*) FROM kept), (SELECT count(*) FROM audit)
                """);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue("grid", grid);
                command.Parameters.AddWithValue("cutoff", cutoff);
                command.Parameters.AddWithValue("chunk", Chunk);
                command.Parameters.AddWithValue("results", results);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var chunk = new PruneReport(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                    total = new PruneReport(total.Tasks + chunk.Tasks, total.Attempts + chunk.Attempts, total.Results + chunk.Results, total.AuditRows + chunk.AuditRows);
                    if (chunk.Tasks < Chunk)
                    {
                        return total;
                    }
                }
            }
        }
    }
}
