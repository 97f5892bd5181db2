using NflCompute.Core.Telemetry;
using Npgsql;

namespace NflCompute.Storage.Tasks;

/// <summary>
/// Tasks and each of their attempts in one grid (rows are keyed by grid and task id): who ran them,
/// on what, for how long, how they ended.
/// </summary>
public sealed class TaskHistory(NpgsqlDataSource dataSource, string grid)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly string _grid = GridNames.Required(grid);

    /// <summary>Records that an attempt started (idempotent: a repeated call changes nothing).</summary>
    public async Task AttemptStartedAsync(TaskAttemptStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var command = _dataSource.CreateCommand(StartSql + CloseEarlierAttempts("@started"));
        await using (command.ConfigureAwait(false))
        {
            AddStart(command, start);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records attempts that ended without a result (failed, retrying, released, cancelled, lease
    /// lost), each started and finished, all in one transaction: no crash can leave one open, and a
    /// batch costs one commit.
    /// </summary>
    public async Task AttemptsEndedAsync(IReadOnlyList<EndedAttempt> ended, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ended);
        using var span = GridTracing.Storage.StartStep("record attempts");
        span?.SetTag("nflc.tasks", ended.Count);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                foreach (var e in ended)
                {
                    var command = new NpgsqlCommand(StartSql + FinishSql, connection, transaction);
                    await using (command.ConfigureAwait(false))
                    {
                        AddStart(command, e.Start);
                        AddFinish(command, e.Status, e.Error, e.CpuSeconds, e.GpuSeconds, e.FinishedAt);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records how an attempt ended and rolls it up into the task; earlier attempts still open end as lost.</summary>
    public async Task AttemptFinishedAsync(AttemptKey attempt, string status, string? error, double cpuSeconds, double gpuSeconds, DateTimeOffset finishedAt, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand(FinishSql);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, attempt);
            AddFinish(command, status, error, cpuSeconds, gpuSeconds, finishedAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records that an attempt completed its task without running it, because an earlier attempt's
    /// result was already durable (its worker died, or lost its lease, before completing in Redis).
    /// </summary>
    public async Task AttemptFoundDurableAsync(TaskAttemptStart start, DateTimeOffset finishedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var command = _dataSource.CreateCommand(StartSql + """
            UPDATE task_attempts SET status = 'already-durable', finished_at = @finished, cpu_seconds = 0, gpu_seconds = 0,
                error = 'not run again: an earlier attempt''s result was already in Postgres'
                WHERE grid = @grid AND task_id = @task AND fencing_token = @token;
            UPDATE tasks SET status = 'completed', error = NULL, finished_at = @finished WHERE grid = @grid AND task_id = @task;
            """ + CloseEarlierAttempts("@finished"));
        await using (command.ConfigureAwait(false))
        {
            AddStart(command, start);
            command.Parameters.AddWithValue("finished", finishedAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // An attempt starting: the task row (created or marked running), its attempt row, and rows
    // for earlier attempts nobody recorded.
    private const string StartSql = """
            INSERT INTO tasks (grid, task_id, kind, class, priority, correlation_id, status, submitted_at, started_at, attempts, worker_id, device, trace_id)
            VALUES (@grid, @task, @kind, @class, @priority, @correlation, 'running', @submitted, @started, @attempt, @worker, @device, @trace)
            ON CONFLICT (grid, task_id) DO UPDATE SET status = 'running', started_at = EXCLUDED.started_at, trace_id = coalesce(tasks.trace_id, EXCLUDED.trace_id),
                attempts = GREATEST(tasks.attempts, EXCLUDED.attempts), worker_id = EXCLUDED.worker_id, device = EXCLUDED.device;
            INSERT INTO task_attempts (grid, task_id, attempt, fencing_token, worker_id, device, started_at, status)
            VALUES (@grid, @task, @attempt, @token, @worker, @device, @started, 'running')
            ON CONFLICT (grid, task_id, fencing_token) DO NOTHING;
            -- A worker can die between its claim and this write: the attempt number proves the
            -- earlier attempts happened, so the ones nobody recorded are kept as lost (with minus
            -- their number as token: no claim's token is known).
            INSERT INTO task_attempts (grid, task_id, attempt, fencing_token, worker_id, started_at, status, error)
            SELECT @grid, @task, earlier, -earlier, 'unknown', @started, 'lost', 'its worker stopped before recording it'
            FROM generate_series(1, @attempt - 1) AS earlier
            WHERE NOT EXISTS (SELECT 1 FROM task_attempts a WHERE a.grid = @grid AND a.task_id = @task AND a.attempt = earlier)
            ON CONFLICT (grid, task_id, fencing_token) DO NOTHING;
            """;

    // An attempt ending: its row, the task's, and earlier attempts still open (closed as lost).
    private static readonly string FinishSql = """
            UPDATE task_attempts SET status = @status, error = @error, cpu_seconds = @cpu, gpu_seconds = @gpu, finished_at = @finished
                WHERE grid = @grid AND task_id = @task AND fencing_token = @token;
            """ + CloseEarlierAttempts("@finished") + """
            UPDATE tasks SET status = @status, error = @error, finished_at = @finished,
                cpu_seconds = (SELECT sum(cpu_seconds) FROM task_attempts WHERE grid = @grid AND task_id = @task),
                gpu_seconds = (SELECT sum(gpu_seconds) FROM task_attempts WHERE grid = @grid AND task_id = @task)
                WHERE grid = @grid AND task_id = @task;
            """;

    private void AddStart(NpgsqlCommand command, TaskAttemptStart start)
    {
        AddKey(command, start.Attempt);
        command.Parameters.AddWithValue("kind", start.Kind);
        command.Parameters.AddWithValue("class", start.Class);
        command.Parameters.AddWithValue("priority", start.Priority);
        command.Parameters.AddWithValue("correlation", (object?)start.CorrelationId ?? DBNull.Value);
        command.Parameters.AddWithValue("submitted", start.SubmittedAt);
        command.Parameters.AddWithValue("started", start.StartedAt);
        command.Parameters.AddWithValue("worker", start.WorkerId);
        command.Parameters.AddWithValue("device", (object?)start.Device ?? DBNull.Value);
        command.Parameters.AddWithValue("trace", NpgsqlTypes.NpgsqlDbType.Text, (object?)start.TraceId ?? DBNull.Value);
    }

    private static void AddFinish(NpgsqlCommand command, string status, string? error, double cpuSeconds, double gpuSeconds, DateTimeOffset finishedAt)
    {
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("cpu", cpuSeconds);
        command.Parameters.AddWithValue("gpu", gpuSeconds);
        command.Parameters.AddWithValue("finished", finishedAt);
    }

    private void AddKey(NpgsqlCommand command, AttemptKey attempt)
    {
        command.Parameters.AddWithValue("grid", _grid);
        command.Parameters.AddWithValue("task", attempt.TaskId);
        command.Parameters.AddWithValue("attempt", attempt.Attempt);
        command.Parameters.AddWithValue("token", attempt.FencingToken);
    }

    // An earlier attempt of @task still open lost its worker or its lease: a later attempt
    // starting, or the task ending, means it ended, at the time `at` names. So did a claim that a
    // rolled-back Redis forgot (the same attempt number under another token).
    private static string CloseEarlierAttempts(string at) => $"""

        UPDATE task_attempts SET status = 'lost', finished_at = {at}, error = 'its worker stopped or lost its lease before finishing it'
            WHERE grid = @grid AND task_id = @task AND status = 'running'
              AND (attempt < @attempt OR (attempt = @attempt AND fencing_token <> @token));

        """;

    /// <summary>
    /// Per kind and device, how long this grid's completed attempts took (the <c>task_durations</c> view): the
    /// history behind run-time predictions.
    /// </summary>
    public async Task<IReadOnlyList<DurationEstimate>> DurationsAsync(CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT kind, device, runs, mean_seconds, p50_seconds, p90_seconds, p99_seconds FROM task_durations WHERE grid = @grid ORDER BY kind, device");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("grid", _grid);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var estimates = new List<DurationEstimate>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    estimates.Add(new DurationEstimate(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6)));
                }

                return estimates;
            }
        }
    }
}
