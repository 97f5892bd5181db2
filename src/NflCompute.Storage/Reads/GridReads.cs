using System.Text.Json;
using Npgsql;

namespace NflCompute.Storage.Reads;

/// <summary>
/// The grid's history as the dashboard and the reports show it, read as the read-only role
/// (nflc_reader): each query returns rows as JSON-ready dictionaries (camelCase keys); task rows
/// are those of <paramref name="grid"/>. Beside the stores that write these tables, so each
/// table's SQL lives in this project only.
/// </summary>
public sealed class GridReads(NpgsqlDataSource reader, string grid)
{
    /// <summary>A task's result and its job kind, or null when Postgres has none (the result store's own query, as the read-only role).</summary>
    public async Task<(string Kind, string Json)?> ResultAsync(string taskId, CancellationToken cancellationToken) =>
        await new Results.ResultStore(reader, grid).ReadWithKindAsync(taskId, cancellationToken).ConfigureAwait(false) is { } r ? (r.Kind, r.ResultJson) : null;

    /// <summary>A model's versions in the order they were registered, with their mean loss.</summary>
    public Task<List<Dictionary<string, object?>>> ModelVersionsAsync(string model, CancellationToken cancellationToken) => RowsAsync("""
        SELECT version, rule, mean_loss, task_id, registered_at FROM model_versions WHERE model = @model ORDER BY registered_at, version
        """, cancellationToken, ("model", model));

    /// <summary>The regressions found for a model, oldest first, with their evidence.</summary>
    public Task<List<Dictionary<string, object?>>> RegressionsOfAsync(string model, CancellationToken cancellationToken) => RowsAsync("""
        SELECT version, compared_to, metric, difference, adjusted_p, margin, evidence::text AS evidence, detected_at FROM regressions
        WHERE model = @model ORDER BY detected_at, version
        """, cancellationToken, ("model", model));

    /// <summary>Each team's rating after its last game of each season in an elo-ratings run: the teams given, or the four rated highest at the end.</summary>
    public Task<List<Dictionary<string, object?>>> EloHistoryAsync(string run, IReadOnlyList<string> teams, CancellationToken cancellationToken) => RowsAsync("""
        WITH games AS (
            SELECT season, game_id, home_team AS team, elo_home_post AS rating FROM elo_ratings WHERE run_id = @run AND elo_home_post IS NOT NULL
            UNION ALL
            SELECT season, game_id, away_team, elo_away_post FROM elo_ratings WHERE run_id = @run AND elo_away_post IS NOT NULL
        ), ends AS (
            SELECT DISTINCT ON (team, season) team, season, rating FROM games ORDER BY team, season, game_id DESC
        ), latest AS (
            SELECT DISTINCT ON (team) team, rating FROM ends ORDER BY team, season DESC
        ), chosen AS (
            SELECT team FROM latest
            WHERE team = ANY(@teams) OR (cardinality(@teams) = 0 AND team IN (SELECT team FROM latest ORDER BY rating DESC LIMIT 4))
        )
        SELECT e.team, e.season, e.rating FROM ends e JOIN chosen USING (team) ORDER BY e.team, e.season
        """, cancellationToken, ("run", run), ("teams", teams.ToArray()));

    /// <summary>The latest task attempts, newest first.</summary>
    public Task<List<Dictionary<string, object?>>> RecentTasksAsync(CancellationToken cancellationToken) => RowsAsync("""
        SELECT task_id, kind, class, status, attempts, worker_id, device, correlation_id, error,
               submitted_at, started_at, finished_at, round((cpu_seconds + gpu_seconds)::numeric, 3)::float8 AS seconds
        FROM tasks WHERE grid = @grid ORDER BY coalesce(finished_at, started_at, submitted_at) DESC LIMIT 50
        """, cancellationToken, ("grid", grid));

    /// <summary>One task's row (with its trace id), or null when the history has none.</summary>
    public async Task<Dictionary<string, object?>?> TaskAsync(string taskId, CancellationToken cancellationToken) => (await RowsAsync("""
        SELECT task_id, kind, class, priority, status, attempts, worker_id, device, correlation_id, error, trace_id,
               submitted_at, started_at, finished_at, round((cpu_seconds + gpu_seconds)::numeric, 3)::float8 AS seconds
        FROM tasks WHERE grid = @grid AND task_id = @task
        """, cancellationToken, ("grid", grid), ("task", taskId)).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>A task's attempts in order: who ran each, when, and how it ended (the timeline).</summary>
    public Task<List<Dictionary<string, object?>>> AttemptsAsync(string taskId, CancellationToken cancellationToken) => RowsAsync("""
        SELECT attempt, worker_id, device, status, error, started_at, finished_at, round((cpu_seconds + gpu_seconds)::numeric, 3)::float8 AS seconds
        FROM task_attempts WHERE grid = @grid AND task_id = @task ORDER BY attempt, started_at
        """, cancellationToken, ("grid", grid), ("task", taskId));

    /// <summary>Per kind and device: runs and p50/p90/p99 seconds (30 days), and completions in the last 5 minutes.</summary>
    public Task<List<Dictionary<string, object?>>> LatencyAsync(CancellationToken cancellationToken) => RowsAsync("""
        SELECT d.kind, d.device, d.runs, d.p50_seconds, d.p90_seconds, d.p99_seconds,
               (SELECT count(*) FROM tasks t WHERE t.grid = @grid AND t.kind = d.kind AND t.status = 'completed' AND t.finished_at > now() - interval '5 minutes') AS completed_last_5_min
        FROM task_durations d WHERE d.grid = @grid ORDER BY d.kind, d.device
        """, cancellationToken, ("grid", grid));

    /// <summary>Model metrics over versions (the newest 500 figures).</summary>
    public Task<List<Dictionary<string, object?>>> ModelMetricsAsync(CancellationToken cancellationToken) => RowsAsync("""
        SELECT model, version, metric, value, n, season, recorded_at FROM model_metrics
        WHERE metric IN ('brier', 'log-loss') ORDER BY recorded_at DESC, model, season NULLS FIRST LIMIT 500
        """, cancellationToken);

    /// <summary>Regressions with their evidence, newest first.</summary>
    public Task<List<Dictionary<string, object?>>> RegressionsAsync(CancellationToken cancellationToken) => RowsAsync("""
        SELECT model, version, compared_to, metric, difference, p_value, adjusted_p, margin, evidence::text AS evidence, detected_at
        FROM regressions ORDER BY detected_at DESC LIMIT 100
        """, cancellationToken);

    /// <summary>How many regressions are recorded.</summary>
    public async Task<long> RegressionCountAsync(CancellationToken cancellationToken)
    {
        var command = reader.CreateCommand("SELECT count(*) FROM regressions");
        await using (command.ConfigureAwait(false))
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private async Task<List<Dictionary<string, object?>>> RowsAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = reader.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (rows.ConfigureAwait(false))
            {
                var list = new List<Dictionary<string, object?>>();
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (var i = 0; i < rows.FieldCount; i++)
                    {
                        var value = rows.IsDBNull(i) ? null : rows.GetValue(i);
                        row[JsonNamingPolicy.CamelCase.ConvertName(ToPascal(rows.GetName(i)))] = value;
                    }

                    list.Add(row);
                }

                return list;
            }
        }
    }

    private static string ToPascal(string snake) => string.Concat(snake.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
