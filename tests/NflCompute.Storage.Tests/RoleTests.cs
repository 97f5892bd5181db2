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

        Assert.Equal("insert:nflc_worker", await MigrationTests.ScalarAsync<string>(owner, "SELECT string_agg(action || ':' || db_user, ', ') FROM result_audit WHERE task_id = '0000000001'"));
    }

    [Fact]
    public async Task TheReaderRole_OnlyReads()
    {
        await using var owner = await postgres.NewDatabaseAsync();
        await new MigrationRunner(owner).MigrateAsync();
        await using var reader = postgres.As(StorageRoles.Reader, PostgresServer.DatabaseOf(owner));

        Assert.Equal(0L, await MigrationTests.ScalarAsync<long>(reader, "SELECT count(*) FROM results"));
        var denied = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var write = reader.CreateCommand("INSERT INTO machines (worker_id, hostname, profile) VALUES ('w', 'h', '{}')");
            await write.ExecuteNonQueryAsync();
        });
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task OnlyTheGridsRoles_CanBeGivenALogin()
    {
        await using var owner = await postgres.NewDatabaseAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => StorageRoles.SetLoginAsync(owner, "postgres", "x"));

        Assert.Contains("not one of the grid's roles", error.Message, StringComparison.Ordinal);
    }
}
