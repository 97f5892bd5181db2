using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using Npgsql;

namespace NflCompute.Storage.Tests;

/// <summary>
/// The statements a worker runs per batch (the durable lookup of a claim, the commit of its
/// results) must cost what the batch holds, whatever the planner's statistics say. A grid that is
/// new in a shared database, or a database not analyzed yet, has statistics that call the grid
/// rare: a plan that scans the grid's rows by its key prefix and filters the ids looks cheap, and
/// every batch then reads the whole grid (a quadratic run: found at 100k tasks, 20-40 ms per
/// lookup of 244 ids). The tests build exactly that (statistics taken while only another grid had
/// rows, autovacuum off) and count the rows each statement fetched.
/// </summary>
public sealed class HotPathPlanTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Grid = "new-grid";
    private const int GridRows = 20_000;
    private const int Batch = 200;
    private static readonly DateTimeOffset T0 = new(2026, 9, 10, 20, 0, 0, TimeSpan.Zero);
    private NpgsqlDataSource _db = null!;

    // One connection, so the statement under test and the stats flush after it share a backend.
    private NpgsqlDataSource _single = null!;

    public async Task InitializeAsync()
    {
        _db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(_db).MigrateAsync();
        var options = postgres.Superuser;
        _single = PostgresDataSource.Create(new PostgresOptions { Host = options.Host, Port = options.Port, Username = options.Username, PasswordFile = options.PasswordFile, Password = options.Password, SslMode = options.SslMode, MaxPoolSize = 1 }, PostgresServer.DatabaseOf(_db));
        await ExecuteAsync($"""
            ALTER TABLE results SET (autovacuum_enabled = false);
            ALTER TABLE tasks SET (autovacuum_enabled = false);
            ALTER TABLE task_attempts SET (autovacuum_enabled = false);
            ALTER TABLE result_audit SET (autovacuum_enabled = false);
            {Fill("old-grid", 1_000)}
            ANALYZE results; ANALYZE tasks; ANALYZE task_attempts; ANALYZE result_audit;
            {Fill(Grid, GridRows)}
            """);
    }

    public async Task DisposeAsync()
    {
        await _single.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task TheDurableLookupOfAClaim_FetchesItsOwnRows_NotTheGrids()
    {
        var store = new ResultStore(_single, Grid);
        var ids = Enumerable.Range(0, Batch).Select(i => Id(GridRows - Batch + i)).ToList();
        await WarmAsync(() => store.DurableAsync(ids, 16_384));

        var fetched = await RowsFetchedAsync(() => store.DurableAsync(ids, 16_384));

        Assert.InRange(fetched, Batch, 4 * Batch);
    }

    [Fact]
    public async Task CommittingABatchOfRetries_FetchesItsOwnRows_NotTheGrids()
    {
        // Second attempts of tasks whose results are durable already (their first worker died after
        // the commit): every branch of the commit looks these tasks up.
        var store = new ResultStore(_single, Grid);
        var round = 0;
        List<CompletedAttempt> Retries() => [.. Enumerable.Range(Batch * round++, Batch).Select(i => new CompletedAttempt(
            new TaskAttemptStart(new AttemptKey(Id(i), 2, (2L << 32) + 5), "noop", "cpu", 0, null, T0, T0.AddSeconds(1), "w2", "cpu"),
            T0.AddSeconds(2), "{}", 0, 0))];
        await WarmAsync(() => store.CommitCompletedAsync(Retries()));

        var fetched = await RowsFetchedAsync(() => store.CommitCompletedAsync(Retries()));

        Assert.InRange(fetched, Batch, 8 * Batch);
    }

    [Fact]
    public async Task TheGridsConnections_RunWithoutJit_SoNoBatchStatementIsCompiledEachTime()
    {
        // With JIT on, a batch commit the planner guessed costly was compiled by LLVM on every
        // run: half a second per commit where the statement itself takes a few milliseconds.
        await using var command = _single.CreateCommand("SHOW jit");

        Assert.Equal("off", (string?)await command.ExecuteScalarAsync());
    }

    // Rows of a task: its result, its completed first attempt, its rolled-up row.
    private static string Fill(string grid, int rows) => $"""
        INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id, device)
            SELECT '{grid}', 'task-' || lpad(n::text, 8, '0'), 1::bigint << 32, 'noop', '{"{}"}', 'w1', 'cpu' FROM generate_series(0, {rows - 1}) n;
        INSERT INTO tasks (grid, task_id, kind, class, priority, status, submitted_at, started_at, finished_at, attempts, worker_id, device, cpu_seconds, gpu_seconds)
            SELECT '{grid}', 'task-' || lpad(n::text, 8, '0'), 'noop', 'cpu', 0, 'completed', now(), now(), now(), 1, 'w1', 'cpu', 0, 0 FROM generate_series(0, {rows - 1}) n;
        INSERT INTO task_attempts (grid, task_id, attempt, fencing_token, worker_id, device, started_at, finished_at, status, cpu_seconds, gpu_seconds)
            SELECT '{grid}', 'task-' || lpad(n::text, 8, '0'), 1, 1::bigint << 32, 'w1', 'cpu', now(), now(), 'completed', 0, 0 FROM generate_series(0, {rows - 1}) n;
        """;

    // Runs a statement as often as it takes the connection to prepare it and the planner to
    // settle on a generic plan (after five runs), so the measured run uses the plan a
    // long-running worker would.
    private static async Task WarmAsync(Func<Task> action)
    {
        for (var i = 0; i < 7; i++)
        {
            await action();
        }
    }

    private static string Id(int n) => "task-" + n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    // Heap rows fetched (index and sequential scans) from the task tables while the action ran.
    private async Task<long> RowsFetchedAsync(Func<Task> action)
    {
        var before = await FetchedAsync();
        await action();
        return await FetchedAsync() - before;
    }

    private async Task<long> FetchedAsync()
    {
        await ExecuteAsync("SELECT pg_stat_force_next_flush()");
        await using var command = _single.CreateCommand("""
            SELECT sum(coalesce(idx_tup_fetch, 0) + seq_tup_read)::bigint FROM pg_stat_user_tables
            WHERE relname IN ('results', 'tasks', 'task_attempts', 'result_audit')
            """);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _single.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
