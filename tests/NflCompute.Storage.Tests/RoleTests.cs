using NflCompute.Storage.Migrations;
using Npgsql;

namespace NflCompute.Storage.Tests;

public sealed class RoleTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TheWorkerRole_WritesResults_ButCannotChangeTheSchema_AndEveryWriteIsAudited()
    {
        await using var owner = await postgres.NewDatabaseAsync();
        await new MigrationRunner(owner).MigrateAsync();
        await using var worker = postgres.As(StorageRoles.Worker, PostgresServer.DatabaseOf(owner));

        await using (var insert = worker.CreateCommand("INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id) VALUES ('nflc', '0000000001', 1, 'noop', '{}', 'w1')"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var denied = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var ddl = worker.CreateCommand("CREATE TABLE sneaky (id int)");
            await ddl.ExecuteNonQueryAsync();
        });
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Equal(1L, await MigrationTests.ScalarAsync<long>(owner, "SELECT count(*) FROM result_audit WHERE task_id = '0000000001' AND action = 'insert'"));
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
