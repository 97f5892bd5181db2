using Npgsql;
using NpgsqlTypes;

namespace NflCompute.Storage.Results;

/// <summary>
/// Task results in Postgres, written before the task completes in Redis, once: the first write of a
/// task's result stays. A retry of the same claim, or a newer claim of the task (whose result is
/// the same, bit for bit: kernels draw from a counter-based generator keyed by the task), finds it
/// durable and writes nothing; a stale claim (a lower fencing token than the stored one) is refused.
/// Both are recorded in the audit trail. So a crash between the two writes loses nothing and
/// duplicates nothing, and no result is ever rewritten. Rows are keyed by grid (the queue's
/// namespace) and task id, so grids that share a database never meet.
/// </summary>
public sealed class ResultStore(NpgsqlDataSource dataSource, string grid)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly string _grid = GridNames.Required(grid);

    /// <summary>
    /// Makes the result durable: true when it is (written now, or found written by this claim or an
    /// earlier one of the task), false when a newer claim of the task wrote it (this claim is stale).
    /// </summary>
    public async Task<bool> WriteAsync(string taskId, long fencingToken, string kind, string resultJson, string workerId, string? device, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("""
            INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id, device)
            VALUES (@grid, @task, @token, @kind, @result, @worker, @device)
            ON CONFLICT (grid, task_id) DO NOTHING
            RETURNING 1
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("grid", _grid);
            command.Parameters.AddWithValue("task", taskId);
            command.Parameters.AddWithValue("token", fencingToken);
            command.Parameters.AddWithValue("kind", kind);
            command.Parameters.AddWithValue("result", NpgsqlDbType.Jsonb, resultJson);
            command.Parameters.AddWithValue("worker", workerId);
            command.Parameters.AddWithValue("device", (object?)device ?? DBNull.Value);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }
        }

        // Already there: durable for this claim unless a newer one wrote it. One statement records
        // which, and answers it.
        var audit = _dataSource.CreateCommand("""
            INSERT INTO result_audit (grid, task_id, fencing_token, action, worker_id)
            SELECT @grid, @task, @token, CASE WHEN r.fencing_token > @token THEN 'rejected-stale' ELSE 'already-durable' END, @worker
            FROM results r WHERE r.grid = @grid AND r.task_id = @task
            RETURNING action
            """);
        await using (audit.ConfigureAwait(false))
        {
            audit.Parameters.AddWithValue("grid", _grid);
            audit.Parameters.AddWithValue("task", taskId);
            audit.Parameters.AddWithValue("token", fencingToken);
            audit.Parameters.AddWithValue("worker", workerId);
            return (string?)await audit.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) == "already-durable";
        }
    }

    /// <summary>
    /// The results already durable among <paramref name="taskIds"/> (one query for a claim batch),
    /// each with its kind, the submission time the task history recorded for its task (null when
    /// the history has none) and its JSON when it is at most <paramref name="inlineBytes"/> long.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DurableResult>> DurableAsync(IReadOnlyList<string> taskIds, int inlineBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        var command = _dataSource.CreateCommand("""
            SELECT r.task_id, r.kind, t.submitted_at, CASE WHEN octet_length(r.result::text) <= @inline THEN r.result::text END
            FROM results r LEFT JOIN tasks t USING (grid, task_id)
            WHERE r.grid = @grid AND r.task_id = ANY(@ids)
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("grid", _grid);
            command.Parameters.AddWithValue("ids", taskIds.ToArray());
            command.Parameters.AddWithValue("inline", inlineBytes);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var durable = new Dictionary<string, DurableResult>(StringComparer.Ordinal);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    durable[reader.GetString(0)] = new DurableResult(
                        reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3));
                }

                return durable;
            }
        }
    }

    /// <summary>A task's result (JSON) and the token that wrote it, or null.</summary>
    public async Task<(string ResultJson, long FencingToken)?> ReadAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT result::text, fencing_token FROM results WHERE grid = @grid AND task_id = @task");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("grid", _grid);
            command.Parameters.AddWithValue("task", taskId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetString(0), reader.GetInt64(1)) : null;
            }
        }
    }
}
