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

    // The commit reads its batch as a relation named input with these columns (task_id, token,
    // attempt, kind, class, priority, correlation_id, submitted_at, started_at, finished_at,
    // result, cpu, gpu, worker_id, device); here from one array parameter per column.
    private const string CommitFromArrays = """
            WITH input AS (
                SELECT * FROM unnest(@ids, @tokens, @attempts, @kinds, @classes, @priorities, @correlations, @submitted, @started, @finished, @results::jsonb[], @cpu, @gpu, @workers, @devices)
                    AS i(task_id, token, attempt, kind, class, priority, correlation_id, submitted_at, started_at, finished_at, result, cpu, gpu, worker_id, device)
            ),
            """ + CommitFromInput;

    // What the commit does with its input, in one statement. Internal so the worker bench can
    // measure other ways of feeding it (binary COPY into a staging table).
    internal const string CommitFromInput = """
            inserted AS (
                INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id, device)
                SELECT @grid, task_id, token, kind, result, worker_id, device FROM input
                ON CONFLICT (grid, task_id) DO NOTHING
                RETURNING task_id
            ), audited AS (
                INSERT INTO result_audit (grid, task_id, fencing_token, action, worker_id)
                SELECT @grid, i.task_id, i.token, CASE WHEN r.fencing_token > i.token THEN 'rejected-stale' ELSE 'already-durable' END, i.worker_id
                FROM input i CROSS JOIN LATERAL (SELECT fencing_token FROM results r WHERE r.grid = @grid AND r.task_id = i.task_id LIMIT 1) r
                WHERE NOT EXISTS (SELECT 1 FROM inserted n WHERE n.task_id = i.task_id)
                RETURNING task_id, action
            ), done AS (
                SELECT i.*, coalesce(a.action = 'rejected-stale', false) AS stale FROM input i LEFT JOIN audited a USING (task_id)
            ), rolled_up AS (
                INSERT INTO tasks (grid, task_id, kind, class, priority, correlation_id, status, submitted_at, started_at, finished_at, attempts, worker_id, device, cpu_seconds, gpu_seconds)
                SELECT @grid, task_id, kind, class, priority, correlation_id, 'completed', submitted_at, started_at, finished_at, attempt, worker_id, device, cpu, gpu FROM done WHERE NOT stale
                ON CONFLICT (grid, task_id) DO UPDATE SET status = 'completed', error = NULL, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
                    attempts = GREATEST(tasks.attempts, EXCLUDED.attempts), worker_id = EXCLUDED.worker_id, device = EXCLUDED.device,
                    cpu_seconds = tasks.cpu_seconds + EXCLUDED.cpu_seconds, gpu_seconds = tasks.gpu_seconds + EXCLUDED.gpu_seconds
            ), recorded AS (
                INSERT INTO task_attempts (grid, task_id, attempt, fencing_token, worker_id, device, started_at, finished_at, status, error, cpu_seconds, gpu_seconds)
                SELECT @grid, task_id, attempt, token, worker_id, device, started_at, finished_at,
                    CASE WHEN stale THEN 'lease-lost' ELSE 'completed' END, CASE WHEN stale THEN 'a newer claim of the task wrote its result first' END, cpu, gpu
                FROM done
                ON CONFLICT (grid, task_id, fencing_token) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, finished_at = EXCLUDED.finished_at,
                    cpu_seconds = EXCLUDED.cpu_seconds, gpu_seconds = EXCLUDED.gpu_seconds
            ), unrecorded AS (
                -- Earlier attempts nobody recorded (their workers died): kept as lost, with minus their number as token.
                INSERT INTO task_attempts (grid, task_id, attempt, fencing_token, worker_id, started_at, status, error)
                SELECT @grid, d.task_id, earlier, -earlier, 'unknown', d.started_at, 'lost', 'its worker stopped before recording it'
                FROM (SELECT * FROM done WHERE attempt > 1) d CROSS JOIN generate_series(1, d.attempt - 1) AS earlier
                LEFT JOIN LATERAL (SELECT 1 AS found FROM task_attempts a WHERE a.grid = @grid AND a.task_id = d.task_id AND a.attempt = earlier LIMIT 1) seen ON true
                WHERE seen.found IS NULL
                ON CONFLICT (grid, task_id, fencing_token) DO NOTHING
            ), still_open AS (
                -- Only a later attempt can find an earlier one open: attempts are recorded when
                -- they end, so a first attempt (most of a batch) needs no look. Found by a probe
                -- per task and updated by row address, so no plan scans the grid's attempts.
                SELECT open.row_id, d.finished_at FROM done d CROSS JOIN LATERAL (
                    SELECT a.ctid AS row_id FROM task_attempts a
                    WHERE a.grid = @grid AND a.task_id = d.task_id AND a.status = 'running'
                      AND (a.attempt < d.attempt OR (a.attempt = d.attempt AND a.fencing_token <> d.token))
                    LIMIT 1000) open
                WHERE d.attempt > 1
            ), closed AS (
                UPDATE task_attempts a SET status = 'lost', finished_at = o.finished_at, error = 'its worker stopped or lost its lease before finishing it'
                FROM still_open o
                WHERE a.ctid = ANY (ARRAY(SELECT row_id FROM still_open)) AND a.ctid = o.row_id
            )
            SELECT task_id FROM done WHERE stale
            """;

    /// <summary>
    /// Makes a batch of results durable with their history, in one transaction (one commit for the
    /// batch): each result written once (fenced as <see cref="WriteAsync"/> is, a conflict
    /// audited), each attempt recorded in one row, started and finished, its task rolled up,
    /// earlier attempts nobody recorded kept as lost and earlier ones left open closed as lost.
    /// Returns the tasks whose claim was stale (a newer claim wrote the result): those must not be
    /// completed by this worker.
    /// </summary>
    public async Task<IReadOnlySet<string>> CommitCompletedAsync(IReadOnlyList<CompletedAttempt> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var command = _dataSource.CreateCommand(CommitFromArrays);
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
