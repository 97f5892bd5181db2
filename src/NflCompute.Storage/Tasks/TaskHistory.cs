using Npgsql;

namespace NflCompute.Storage.Tasks;

/// <summary>Tasks and each of their attempts: who ran them, on what, for how long, how they ended.</summary>
public sealed class TaskHistory(NpgsqlDataSource dataSource)
{
    /// <summary>Records that an attempt started (idempotent: a repeated call changes nothing).</summary>
    public async Task AttemptStartedAsync(TaskAttemptStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var command = dataSource.CreateCommand("""
            INSERT INTO tasks (task_id, kind, class, priority, correlation_id, status, submitted_at, started_at, attempts, worker_id, device)
            VALUES (@task, @kind, @class, @priority, @correlation, 'running', @submitted, @started, @attempt, @worker, @device)
            ON CONFLICT (task_id) DO UPDATE SET status = 'running', started_at = EXCLUDED.started_at,
                attempts = GREATEST(tasks.attempts, EXCLUDED.attempts), worker_id = EXCLUDED.worker_id, device = EXCLUDED.device;
            INSERT INTO task_attempts (task_id, attempt, worker_id, device, started_at, status)
            VALUES (@task, @attempt, @worker, @device, @started, 'running')
            ON CONFLICT (task_id, attempt) DO NOTHING;
            -- A worker can die between its claim and this write: the attempt number proves the
            -- earlier attempts happened, so the ones nobody recorded are kept as lost.
            INSERT INTO task_attempts (task_id, attempt, worker_id, started_at, status, error)
            SELECT @task, earlier, 'unknown', @started, 'lost', 'its worker stopped before recording it'
            FROM generate_series(1, @attempt - 1) AS earlier
            ON CONFLICT (task_id, attempt) DO NOTHING;
            """ + CloseEarlierAttempts("@started"));
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("task", start.TaskId);
            command.Parameters.AddWithValue("kind", start.Kind);
            command.Parameters.AddWithValue("class", start.Class);
            command.Parameters.AddWithValue("priority", start.Priority);
            command.Parameters.AddWithValue("correlation", (object?)start.CorrelationId ?? DBNull.Value);
            command.Parameters.AddWithValue("submitted", start.SubmittedAt);
            command.Parameters.AddWithValue("started", start.StartedAt);
            command.Parameters.AddWithValue("attempt", start.Attempt);
            command.Parameters.AddWithValue("worker", start.WorkerId);
            command.Parameters.AddWithValue("device", (object?)start.Device ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records how an attempt ended and rolls it up into the task; earlier attempts still open end as lost.</summary>
    public async Task AttemptFinishedAsync(string taskId, int attempt, string status, string? error, double cpuSeconds, double gpuSeconds, DateTimeOffset finishedAt, CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("""
            UPDATE task_attempts SET status = @status, error = @error, cpu_seconds = @cpu, gpu_seconds = @gpu, finished_at = @finished
                WHERE task_id = @task AND attempt = @attempt;
            """ + CloseEarlierAttempts("@finished") + """
            UPDATE tasks SET status = @status, error = @error, finished_at = @finished,
                cpu_seconds = (SELECT sum(cpu_seconds) FROM task_attempts WHERE task_id = @task),
                gpu_seconds = (SELECT sum(gpu_seconds) FROM task_attempts WHERE task_id = @task)
                WHERE task_id = @task;
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("task", taskId);
            command.Parameters.AddWithValue("attempt", attempt);
            command.Parameters.AddWithValue("status", status);
            command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("cpu", cpuSeconds);
            command.Parameters.AddWithValue("gpu", gpuSeconds);
            command.Parameters.AddWithValue("finished", finishedAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records that an attempt completed its task without running it, because an earlier attempt's
    /// result was already durable (its worker died, or lost its lease, before completing in Redis).
    /// </summary>
    public async Task AttemptFoundDurableAsync(string taskId, int attempt, DateTimeOffset finishedAt, CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("""
            UPDATE task_attempts SET status = 'already-durable', finished_at = @finished, cpu_seconds = 0, gpu_seconds = 0,
                error = 'not run again: an earlier attempt''s result was already in Postgres'
                WHERE task_id = @task AND attempt = @attempt;
            UPDATE tasks SET status = 'completed', error = NULL, finished_at = @finished WHERE task_id = @task;
            """ + CloseEarlierAttempts("@finished"));
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("task", taskId);
            command.Parameters.AddWithValue("attempt", attempt);
            command.Parameters.AddWithValue("finished", finishedAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // An earlier attempt of @task still open lost its worker or its lease: a later attempt
    // starting, or the task ending, means it ended, at the time `at` names.
    private static string CloseEarlierAttempts(string at) => $"""

        UPDATE task_attempts SET status = 'lost', finished_at = {at}, error = 'its worker stopped or lost its lease before finishing it'
            WHERE task_id = @task AND attempt < @attempt AND status = 'running';

        """;

        /// <summary>
    /// Per kind and device, how long completed attempts took (the <c>task_durations</c> view): the
    /// history behind run-time predictions.
    /// </summary>
    public async Task<IReadOnlyList<DurationEstimate>> DurationsAsync(CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT kind, device, runs, mean_seconds, p50_seconds, p90_seconds, p99_seconds FROM task_durations ORDER BY kind, device");
        await using (command.ConfigureAwait(false))
        {
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
