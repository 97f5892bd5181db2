using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using Npgsql;

namespace NflCompute.Storage.Tests;

public sealed class RoleTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TheWorkerRole_WritesResultsOnlyThroughTheFencedFunction_AuditedUnderItsOwnLogin_AndCannotChangeTheSchema()
    {
        await using var owner = await postgres.NewDatabaseAsync();
        await new MigrationRunner(owner).MigrateAsync();
        await using var worker = postgres.As(StorageRoles.Worker, PostgresServer.DatabaseOf(owner));
        var t0 = DateTimeOffset.UtcNow;
        var attempt = new TaskAttemptStart(new AttemptKey("0000000001", 1, 1L << 32), "noop", "cpu", 0, null, t0, t0, "w1", "cpu");

        Assert.Empty(await new ResultStore(worker, "nflc").CommitCompletedAsync([new CompletedAttempt(attempt, t0, "{}", 0, 0)]));

        // Around the function, nothing: no direct result write or rewrite, no forged audit row,
        // no change to a content-addressed dataset, no erased regression, no schema change.
        foreach (var sql in new[]
        {
            "INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id) VALUES ('nflc', '0000000002', 1, 'noop', '{}', 'w1')",
            "UPDATE results SET result = '{\"forged\": true}' WHERE task_id = '0000000001'",
            "INSERT INTO result_audit (grid, task_id, fencing_token, action, worker_id) VALUES ('nflc', '0000000001', 1, 'insert', 'someone-else')",
            "UPDATE datasets SET data = 'x'",
            "DELETE FROM regressions",
            "UPDATE model_metrics SET value = 0",
            "CREATE TABLE sneaky (id int)",
        })
        {
            await using var command = worker.CreateCommand(sql);
            var denied = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(denied.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {denied.MessageText}");
        }

        Assert.Equal("insert:nflc_worker", await MigrationTests.ScalarAsync<string>(owner, "SELECT string_agg(action || ':' || db_user, ', ') FROM result_writes WHERE task_id = '0000000001'"));
    }

    [Fact]
    public async Task TheReaderRole_ReadsWhatTheDashboardShows_AndNothingElse()
    {
        await using var owner = await postgres.NewDatabaseAsync();
        await new MigrationRunner(owner).MigrateAsync();
        await using var reader = postgres.As(StorageRoles.Reader, PostgresServer.DatabaseOf(owner));

        Assert.Equal(0L, await MigrationTests.ScalarAsync<long>(reader, "SELECT count(*) FROM tasks"));
        Assert.Equal(0L, await MigrationTests.ScalarAsync<long>(reader, "SELECT count(*) FROM regressions"));
        Assert.Equal(0L, await MigrationTests.ScalarAsync<long>(reader, "SELECT count(*) FROM results")); // the results pages
        foreach (var sql in new[] { "SELECT count(*) FROM result_audit", "SELECT count(*) FROM result_writes", "SELECT count(*) FROM datasets", "INSERT INTO machines (worker_id, hostname, profile) VALUES ('w', 'h', '{}')" })
        {
            var denied = await Assert.ThrowsAsync<PostgresException>(() => MigrationTests.ScalarAsync<long>(reader, sql));
            Assert.True(denied.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {denied.MessageText}");
        }
    }

    // What each role may do on each table and view: a relation missing here fails the test
    // below, so its grants are decided when it is added, not inherited.
    private static readonly Dictionary<string, (string Worker, string Reader)> IntendedGrants = new(StringComparer.Ordinal)
    {
        ["nflc_schema_migrations"] = ("SELECT", "SELECT"),
        ["tasks"] = ("SELECT, INSERT, UPDATE", "SELECT"),
        ["task_attempts"] = ("SELECT, INSERT, UPDATE", "SELECT"),
        ["task_durations"] = ("SELECT", "SELECT"),
        ["results"] = ("SELECT", "SELECT"),
        ["result_audit"] = ("SELECT", ""),
        ["result_writes"] = ("SELECT", ""),
        ["machines"] = ("SELECT, INSERT, UPDATE", ""),
        ["datasets"] = ("SELECT, INSERT", ""),
        ["model_metrics"] = ("SELECT, INSERT", "SELECT"),
        ["regressions"] = ("SELECT, INSERT", "SELECT"),
        ["model_versions"] = ("SELECT, INSERT, UPDATE", "SELECT"),
        ["games"] = ("SELECT, INSERT, UPDATE", ""),
        ["games_quarantine"] = ("SELECT, INSERT, UPDATE, DELETE", ""),
        ["elo_ratings"] = ("SELECT, INSERT, UPDATE, DELETE", "SELECT"),
        ["history_retention"] = ("SELECT", ""),
    };

    [Fact]
    public async Task EveryTableAndView_HasTheGrantsIntendedForEachRole_AndNoOthers()
    {
        await using var owner = await postgres.NewDatabaseAsync();
        await new MigrationRunner(owner).MigrateAsync();

        var actual = new Dictionary<string, (string Worker, string Reader)>(StringComparer.Ordinal);
        await using (var command = owner.CreateCommand("""
            SELECT c.relname, r.worker, r.reader
            FROM pg_class c
            CROSS JOIN LATERAL (
                SELECT coalesce(string_agg(p, ', ' ORDER BY o) FILTER (WHERE has_table_privilege('nflc_worker', c.oid, p)), '') AS worker,
                       coalesce(string_agg(p, ', ' ORDER BY o) FILTER (WHERE has_table_privilege('nflc_reader', c.oid, p)), '') AS reader
                FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) WITH ORDINALITY AS v(p, o)) r
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
            """))
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                actual[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        Assert.Equal(IntendedGrants.OrderBy(g => g.Key, StringComparer.Ordinal), actual.OrderBy(g => g.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task OnlyTheGridsRoles_CanBeGivenALogin()
    {
        await using var owner = await postgres.NewDatabaseAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => StorageRoles.SetLoginAsync(owner, "postgres", "x"));

        Assert.Contains("not one of the grid's roles", error.Message, StringComparison.Ordinal);
    }
}
