using Npgsql;

namespace NflCompute.Storage.Models;

/// <summary>
/// Model metrics, model versions and regressions. Writes are keyed by the task that made them and
/// made once: a retried task finds its rows and writes nothing (nflc_worker may not update or
/// delete them, so no worker can erase another task's evidence).
/// </summary>
public sealed class ModelStore(NpgsqlDataSource dataSource)
{
    /// <summary>Writes the metrics of <paramref name="taskId"/>, unless it has written them already.</summary>
    public Task WriteMetricsAsync(string taskId, IReadOnlyList<ModelMetricRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return WriteOnceAsync("model_metrics", """
            INSERT INTO model_metrics (model, version, metric, value, n, season, task_id, details)
            SELECT m, v, k, x, n, s, @task, d::jsonb FROM unnest(@a, @b, @c, @e, @f, @g, @h) AS t(m, v, k, x, n, s, d)
            WHERE NOT EXISTS (SELECT 1 FROM model_metrics WHERE task_id = @task)
            """, taskId, command =>
        {
            command.Parameters.AddWithValue("a", rows.Select(r => r.Model).ToArray());
            command.Parameters.AddWithValue("b", rows.Select(r => r.Version).ToArray());
            command.Parameters.AddWithValue("c", rows.Select(r => r.Metric).ToArray());
            command.Parameters.AddWithValue("e", rows.Select(r => r.Value).ToArray());
            command.Parameters.AddWithValue("f", rows.Select(r => r.N).ToArray());
            command.Parameters.AddWithValue("g", rows.Select(r => r.Season).ToArray());
            command.Parameters.AddWithValue("h", rows.Select(r => r.Details).ToArray());
        }, cancellationToken);
    }

    /// <summary>Records the regressions of <paramref name="taskId"/>, unless it has recorded them already.</summary>
    public Task WriteRegressionsAsync(string taskId, IReadOnlyList<RegressionRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return WriteOnceAsync("regressions", """
            INSERT INTO regressions (model, version, compared_to, metric, difference, p_value, adjusted_p, margin, task_id, evidence)
            SELECT m, v, c, k, d, p, q, g, @task, e::jsonb FROM unnest(@a, @b, @c, @d, @e, @f, @g, @h, @i) AS t(m, v, c, k, d, p, q, g, e)
            WHERE NOT EXISTS (SELECT 1 FROM regressions WHERE task_id = @task)
            """, taskId, command =>
        {
            command.Parameters.AddWithValue("a", rows.Select(r => r.Model).ToArray());
            command.Parameters.AddWithValue("b", rows.Select(r => r.Version).ToArray());
            command.Parameters.AddWithValue("c", rows.Select(r => r.ComparedTo).ToArray());
            command.Parameters.AddWithValue("d", rows.Select(r => r.Metric).ToArray());
            command.Parameters.AddWithValue("e", rows.Select(r => r.Difference).ToArray());
            command.Parameters.AddWithValue("f", rows.Select(r => r.PValue).ToArray());
            command.Parameters.AddWithValue("g", rows.Select(r => r.AdjustedP).ToArray());
            command.Parameters.AddWithValue("h", rows.Select(r => r.Margin).ToArray());
            command.Parameters.AddWithValue("i", rows.Select(r => r.Evidence).ToArray());
        }, cancellationToken);
    }

    /// <summary>The earlier versions of <paramref name="model"/>, oldest first (the version itself excluded).</summary>
    public async Task<IReadOnlyList<ModelVersion>> VersionsAsync(string model, string exceptVersion, CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT model, version, outcomes, predictions, rule, mean_loss, registered_at FROM model_versions WHERE model = @model AND version <> @version ORDER BY registered_at, version");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("model", model);
            command.Parameters.AddWithValue("version", exceptVersion);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var versions = new List<ModelVersion>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    versions.Add(new ModelVersion(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetDouble(5), reader.GetFieldValue<DateTimeOffset>(6)));
                }

                return versions;
            }
        }
    }

    /// <summary>Records a version (once: a repeated registration keeps the first).</summary>
    public async Task RegisterVersionAsync(ModelVersion version, string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var command = dataSource.CreateCommand("""
            INSERT INTO model_versions (model, version, outcomes, predictions, rule, mean_loss, task_id)
            VALUES (@model, @version, @outcomes, @predictions, @rule, @loss, @task) ON CONFLICT (model, version) DO NOTHING
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("model", version.Model);
            command.Parameters.AddWithValue("version", version.Version);
            command.Parameters.AddWithValue("outcomes", version.Outcomes);
            command.Parameters.AddWithValue("predictions", version.Predictions);
            command.Parameters.AddWithValue("rule", version.Rule);
            command.Parameters.AddWithValue("loss", version.MeanLoss);
            command.Parameters.AddWithValue("task", taskId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // One transaction: a lock on (table, task), so two attempts of a task writing at once take
    // turns, then the insert, which finds the first one's rows (each statement sees what committed
    // before it) and writes nothing.
    private async Task WriteOnceAsync(string table, string insert, string taskId, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@table || ':' || @task, 0)); " + insert, connection, transaction);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddWithValue("table", table);
                    command.Parameters.AddWithValue("task", taskId);
                    bind(command);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
