using System.Diagnostics;
using System.Globalization;
using NflCompute.Storage;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using Npgsql;
using NpgsqlTypes;

namespace NflCompute.Bench.Worker;

/// <summary>
/// Two ways to feed a batch to the commit statement (ResultStore.CommitFromInput), side by side
/// on the local Postgres: one array parameter per column (what the worker runs), and binary COPY
/// into a temporary staging table followed by the same statement reading it. Interleaved rounds;
/// per row: wall time of a batch and CPU of every Postgres process (/proc).
/// </summary>
public static class CommitForms
{
    private const string Grid = "commit-forms";

    public static async Task<int> RunAsync(string[] args)
    {
        var batches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var superuser = WorkerBench.LocalSuperuser();
        var database = await WorkerBench.CreateDatabaseAsync(superuser, "nflc_forms_");
        await using var db = PostgresDataSource.Create(superuser, database);
        await new MigrationRunner(db).MigrateAsync();
        var store = new ResultStore(db, Grid);
        var serial = 0;
        List<CompletedAttempt> Batch() => [.. Enumerable.Range(0, size).Select(_ => Attempt(serial++))];

        // Warm both paths (connections, plans, JIT of this process) before measuring.
        await store.CommitCompletedAsync(Batch());
        await CommitByCopyAsync(db, Batch());

        var figures = new Dictionary<string, List<(double WallUs, double CpuUs)>> { ["arrays"] = [], ["copy"] = [] };
        for (var round = 0; round < 3; round++)
        {
            foreach (var form in figures.Keys)
            {
                var work = Enumerable.Range(0, batches).Select(_ => Batch()).ToList();
                var cpu = WorkerBench.PostgresCpuSeconds();
                var clock = Stopwatch.StartNew();
                foreach (var batch in work)
                {
                    if (form == "arrays")
                    {
                        await store.CommitCompletedAsync(batch);
                    }
                    else
                    {
                        await CommitByCopyAsync(db, batch);
                    }
                }

                var rows = (double)batches * size;
                figures[form].Add((clock.Elapsed.TotalMicroseconds / rows, (WorkerBench.PostgresCpuSeconds() - cpu) * 1e6 / rows));
            }
        }

        Console.WriteLine($"| batch feed ({batches} batches of {size}, 3 interleaved rounds) | wall per row, us (median) | Postgres CPU per row, us (median) |");
        Console.WriteLine("|---|---|---|");
        foreach (var (form, runs) in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(form == "arrays" ? "one array parameter per column, unnest" : "binary COPY into a staging table, then the same statement")} | {Median(runs.Select(r => r.WallUs)):F1} | {Median(runs.Select(r => r.CpuUs)):F1} |"));
        }

        return 0;
    }

    private static CompletedAttempt Attempt(int n)
    {
        var t0 = DateTimeOffset.UtcNow;
        var id = "form-" + n.ToString("D10", CultureInfo.InvariantCulture);
        return new CompletedAttempt(new(new(id, 1, (1L << 32) + 1), "noop", "cpu", 0, null, t0, t0, "bench", "cpu"), t0, "{}", 0, 0);
    }

    // One transaction: the staging table (per connection, emptied at commit), COPY, the statement.
    private static async Task CommitByCopyAsync(NpgsqlDataSource db, IReadOnlyList<CompletedAttempt> batch)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE IF NOT EXISTS commit_staging (task_id text, token bigint, attempt integer, kind text, class text, priority integer,
                correlation_id text, submitted_at timestamptz, started_at timestamptz, finished_at timestamptz, result jsonb, cpu float8, gpu float8,
                worker_id text, device text) ON COMMIT DELETE ROWS
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY commit_staging FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var b in batch)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(b.Start.Attempt.TaskId, NpgsqlDbType.Text);
                await copy.WriteAsync(b.Start.Attempt.FencingToken, NpgsqlDbType.Bigint);
                await copy.WriteAsync(b.Start.Attempt.Attempt, NpgsqlDbType.Integer);
                await copy.WriteAsync(b.Start.Kind, NpgsqlDbType.Text);
                await copy.WriteAsync(b.Start.Class, NpgsqlDbType.Text);
                await copy.WriteAsync(b.Start.Priority, NpgsqlDbType.Integer);
                await copy.WriteAsync((object?)b.Start.CorrelationId ?? DBNull.Value, NpgsqlDbType.Text);
                await copy.WriteAsync(b.Start.SubmittedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(b.Start.StartedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(b.FinishedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(b.ResultJson, NpgsqlDbType.Jsonb);
                await copy.WriteAsync(b.CpuSeconds, NpgsqlDbType.Double);
                await copy.WriteAsync(b.GpuSeconds, NpgsqlDbType.Double);
                await copy.WriteAsync(b.Start.WorkerId, NpgsqlDbType.Text);
                await copy.WriteAsync((object?)b.Start.Device ?? DBNull.Value, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await using (var merge = new NpgsqlCommand("WITH input AS (SELECT * FROM commit_staging), " + ResultStore.CommitFromInput, connection, transaction))
        {
            merge.Parameters.AddWithValue("grid", Grid);
            await using var reader = await merge.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await transaction.CommitAsync();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
