using NflCompute.Core.Telemetry;
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
    /// Makes a batch of results durable with their history, in one transaction (one commit for the
    /// batch): each result written once (a retry of the same claim, or a newer claim, finds it
    /// durable; a stale claim changes nothing; both audited), each attempt recorded in one row, started and finished, its task rolled up,
    /// earlier attempts nobody recorded kept as lost and earlier ones left open closed as lost.
    /// Returns the tasks whose claim was stale (a newer claim wrote the result): those must not be
    /// completed by this worker.
    /// </summary>
    public async Task<IReadOnlySet<string>> CommitCompletedAsync(IReadOnlyList<CompletedAttempt> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var span = GridTracing.Storage.StartStep("commit results");
        span?.SetTag("nflc.tasks", batch.Count);
        // The function runs as the schema owner and is the only way a worker writes results (migrations 0008, 0010).
        var command = _dataSource.CreateCommand("""
            SELECT nflc_commit_results(@grid, @ids, @tokens, @attempts, @kinds, @classes, @priorities, @correlations, @submitted, @started, @finished, @results, @cpu, @gpu, @workers, @devices, @traces)
            """);
        await using (command.ConfigureAwait(false))
        {
            var p = command.Parameters;
            p.AddWithValue("grid", _grid);
            p.AddWithValue("ids", batch.Select(b => b.Start.Attempt.TaskId).ToArray());
            p.AddWithValue("tokens", batch.Select(b => b.Start.Attempt.FencingToken).ToArray());
            p.AddWithValue("attempts", batch.Select(b => b.Start.Attempt.Attempt).ToArray());
            p.AddWithValue("kinds", batch.Select(b => b.Start.Kind).ToArray());
            p.AddWithValue("classes", batch.Select(b => b.Start.Class).ToArray());
            p.AddWithValue("priorities", batch.Select(b => b.Start.Priority).ToArray());
            p.AddWithValue("correlations", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Select(b => (object?)b.Start.CorrelationId ?? DBNull.Value).ToArray());
            p.AddWithValue("submitted", batch.Select(b => b.Start.SubmittedAt).ToArray());
            p.AddWithValue("started", batch.Select(b => b.Start.StartedAt).ToArray());
            p.AddWithValue("workers", batch.Select(b => b.Start.WorkerId).ToArray());
            p.AddWithValue("devices", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Select(b => (object?)b.Start.Device ?? DBNull.Value).ToArray());
            p.AddWithValue("finished", batch.Select(b => b.FinishedAt).ToArray());
            p.AddWithValue("results", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Select(b => b.ResultJson).ToArray());
            p.AddWithValue("cpu", batch.Select(b => b.CpuSeconds).ToArray());
            p.AddWithValue("gpu", batch.Select(b => b.GpuSeconds).ToArray());
            p.AddWithValue("traces", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Select(b => (object?)b.Start.TraceId ?? DBNull.Value).ToArray());
            var stale = new HashSet<string>(StringComparer.Ordinal);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stale.Add(reader.GetString(0));
                }
            }

            return stale;
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
            SELECT i.task_id, r.kind,
                (SELECT t.submitted_at FROM tasks t WHERE t.grid = @grid AND t.task_id = i.task_id),
                CASE WHEN octet_length(r.result::text) <= @inline THEN r.result::text END
            FROM unnest(@ids) AS i(task_id)
            CROSS JOIN LATERAL (SELECT kind, result FROM results r WHERE r.grid = @grid AND r.task_id = i.task_id LIMIT 1) r
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
    public async Task<(string ResultJson, long FencingToken)?> ReadAsync(string taskId, CancellationToken cancellationToken = default) =>
        await ReadWithKindAsync(taskId, cancellationToken).ConfigureAwait(false) is { } r ? (r.ResultJson, r.FencingToken) : null;

    /// <summary>A task's result (JSON), the token that wrote it and the job kind, or null.</summary>
    public async Task<(string ResultJson, long FencingToken, string Kind)?> ReadWithKindAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT result::text, fencing_token, kind FROM results WHERE grid = @grid AND task_id = @task");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("grid", _grid);
            command.Parameters.AddWithValue("task", taskId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetString(0), reader.GetInt64(1), reader.GetString(2)) : null;
            }
        }
    }
}
