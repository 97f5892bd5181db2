using NflCompute.Storage.Migrations;
using Npgsql;

namespace NflCompute.Storage.Tests;

public sealed class MigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Migrate_AFreshDatabase_AppliesEveryMigrationInOrder()
    {
        await using var db = await postgres.NewDatabaseAsync();

        var applied = await new MigrationRunner(db).MigrateAsync();

        Assert.Equal(MigrationCatalog.Embedded.Select(m => m.Version), applied.Select(m => m.Version));
        Assert.Equal(Enumerable.Range(1, MigrationCatalog.Embedded.Count), applied.Select(m => m.Version));
        Assert.All(await new MigrationRunner(db).StatusAsync(), s => Assert.Equal(MigrationState.Applied, s.State));
        foreach (var table in new[] { "tasks", "task_attempts", "results", "result_audit", "machines", "datasets", "model_metrics", "regressions", "task_durations" })
        {
            Assert.True(await ScalarAsync<bool>(db, $"SELECT to_regclass('{table}') IS NOT NULL"), table);
        }
    }

    [Fact]
    public async Task Migrate_Again_ChangesNothing()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();

        var second = await new MigrationRunner(db).MigrateAsync();

        Assert.Empty(second);
        Assert.Equal((long)MigrationCatalog.Embedded.Count, await ScalarAsync<long>(db, "SELECT count(*) FROM nflc_schema_migrations"));
    }

    [Fact]
    public async Task ResultsWrittenBefore0014_KeepTheirWholeTrail_WithTheFirstWritesMovedIntoTheirRows()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db, [.. MigrationCatalog.Embedded.Where(m => m.Version < 14)]).MigrateAsync();
        foreach (var sql in new[]
        {
            "INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id) VALUES ('g', 'kept', 7, 'noop', '{}', 'w1'), ('g', 'changed', 8, 'noop', '{}', 'w2')",
            "UPDATE results SET result = '{\"fixed\": true}', fencing_token = 9 WHERE task_id = 'changed'",
            "INSERT INTO result_audit (grid, task_id, fencing_token, action, worker_id) VALUES ('g', 'kept', 7, 'already-durable', 'w3')",
        })
        {
            await using var command = db.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        const string Trail = "string_agg(task_id || ':' || action || ':' || fencing_token || ':' || worker_id || ':' || db_user || ':' || at, ', ' ORDER BY task_id, id NULLS FIRST)";
        var before = await ScalarAsync<string>(db, $"SELECT {Trail} FROM result_audit");
        await new MigrationRunner(db).MigrateAsync();

        Assert.Equal(before, await ScalarAsync<string>(db, $"SELECT {Trail} FROM result_writes"));
        Assert.Equal("changed:insert", await ScalarAsync<string>(db, "SELECT string_agg(task_id || ':' || action, ', ') FROM result_audit WHERE action = 'insert'"));
        Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM results WHERE db_user IS NULL"));

        // Written after it: one row, no audit row, the same trail.
        await using (var command = db.CreateCommand("INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id) VALUES ('g', 'new', 10, 'noop', '{}', 'w4')"))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM result_audit WHERE task_id = 'new'"));
        Assert.Equal("insert:10:w4:true", await ScalarAsync<string>(db, "SELECT action || ':' || fencing_token || ':' || worker_id || ':' || (db_user = session_user) FROM result_writes WHERE task_id = 'new'"));
    }

    [Fact]
    public async Task ManyProcessesMigratingAtOnce_ApplyEachMigrationExactlyOnce()
    {
        await using var db = await postgres.NewDatabaseAsync();
        var name = PostgresServer.DatabaseOf(db);
        var sources = Enumerable.Range(0, 6).Select(_ => PostgresDataSource.Create(postgres.Superuser, name)).ToList();

        var runs = await Task.WhenAll(sources.Select(s => Task.Run(() => new MigrationRunner(s).MigrateAsync())));

        Assert.Equal(MigrationCatalog.Embedded.Count, runs.Sum(r => r.Count));
        Assert.Equal((long)MigrationCatalog.Embedded.Count, await ScalarAsync<long>(db, "SELECT count(*) FROM nflc_schema_migrations"));
        foreach (var s in sources)
        {
            await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task ManyDatabasesMigratingAtOnce_ShareTheClusterWideRoles_WithoutFailing()
    {
        // Each round a new role that no database has made yet, created by six databases at once
        // the way 0002_roles creates the grid's roles (the per-database lock does not serialise them).
        for (var round = 0; round < 4; round++)
        {
            var role = "nflc_race_" + Guid.NewGuid().ToString("N")[..12];
            IReadOnlyList<Migration> migrations = [new(1, "role", $"DO $$ BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")];
            var databases = new List<NpgsqlDataSource>();
            for (var i = 0; i < 6; i++)
            {
                databases.Add(await postgres.NewDatabaseAsync());
            }

            try
            {
                var runs = await Task.WhenAll(databases.Select(db => Task.Run(() => new MigrationRunner(db, migrations).MigrateAsync())));

                Assert.All(runs, r => Assert.Single(r));
                Assert.Equal(1L, await ScalarAsync<long>(databases[0], $"SELECT count(*) FROM pg_roles WHERE rolname = '{role}'"));
            }
            finally
            {
                foreach (var db in databases)
                {
                    await db.DisposeAsync();
                }

                await using var admin = PostgresDataSource.Create(postgres.Superuser);
                await using var drop = admin.CreateCommand($"DROP ROLE IF EXISTS {role}");
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    [Fact]
    public async Task AMigrationChangedAfterItWasApplied_IsRefused_AndNothingElseRuns()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var edited = MigrationCatalog.Embedded.Select(m => m.Version == 1 ? m with { Sql = m.Sql + "\n-- edited" } : m)
            .Append(new Migration(MigrationCatalog.Embedded.Count + 1, "later", "CREATE TABLE later (id int)")).ToList();

        var error = await Assert.ThrowsAsync<MigrationChecksumException>(() => new MigrationRunner(db, edited).MigrateAsync());

        Assert.Equal(1, error.Version);
        Assert.Contains("0001_schema was changed after it was applied", error.Message, StringComparison.Ordinal);
        Assert.False(await ScalarAsync<bool>(db, "SELECT to_regclass('later') IS NOT NULL"));
        Assert.Contains(await new MigrationRunner(db, edited).StatusAsync(), s => s.Version == 1 && s.State == MigrationState.Changed);
    }

    [Fact]
    public async Task Status_ShowsPendingMigrations_BeforeAnyRun()
    {
        await using var db = await postgres.NewDatabaseAsync();

        var status = await new MigrationRunner(db).StatusAsync();

        Assert.Equal(MigrationCatalog.Embedded.Select(m => (m.Version, MigrationState.Pending)), status.Select(s => (s.Version, s.State)));
    }

    internal static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
