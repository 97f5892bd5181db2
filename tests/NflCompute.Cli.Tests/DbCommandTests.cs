using System.Text.Json;
using NflCompute.Storage;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;

namespace NflCompute.Cli.Tests;

public sealed class DbCommandTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private Dictionary<string, string> EnvironmentFor(string database) => new()
    {
        ["NFLC_Postgres__Host"] = postgres.Superuser.Host,
        ["NFLC_Postgres__Port"] = postgres.Superuser.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NFLC_Postgres__PasswordFile"] = postgres.Superuser.PasswordFile!,
        ["NFLC_Postgres__SslMode"] = "Disable",
        ["NFLC_Postgres__Database"] = database,
        ["NFLC_Roles__WorkerPasswordFile"] = postgres.Roles.WorkerPasswordFile!,
        ["NFLC_Roles__ReaderPasswordFile"] = postgres.Roles.ReaderPasswordFile!,
    };

    [Fact]
    public async Task DbMigrate_AppliesEveryMigration_ThenDbStatusShowsThemApplied_AsJson()
    {
        await using var db = await postgres.NewDatabaseAsync();
        var environment = EnvironmentFor(PostgresServer.DatabaseOf(db));

        var before = await Nflc.RunAsync(environment, "db", "status", "--json");
        var migrate = await Nflc.RunAsync(environment, "db", "migrate", "--json");
        var again = await Nflc.RunAsync(environment, "db", "migrate");
        var after = await Nflc.RunAsync(environment, "db", "status", "--json");

        Assert.Equal(0, before.ExitCode);
        Assert.All(JsonDocument.Parse(before.Stdout).RootElement.EnumerateArray(), m => Assert.Equal("pending", m.GetProperty("state").GetString()));
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        Assert.Equal(MigrationCatalog.Embedded.Select(m => m.Version), JsonDocument.Parse(migrate.Stdout).RootElement.EnumerateArray().Select(m => m.GetProperty("version").GetInt32()));
        Assert.Equal((0, "The schema is up to date.\nnflc_worker and nflc_reader can log in (passwords from Roles:*PasswordFile)."), (again.ExitCode, again.Stdout.Trim().ReplaceLineEndings("\n")));
        Assert.All(JsonDocument.Parse(after.Stdout).RootElement.EnumerateArray(), m => Assert.Equal("applied", m.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task DbPrune_DeletesOldHistory_ReportsWhatItDeleted_AndRefusesABadDuration()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var environment = EnvironmentFor(PostgresServer.DatabaseOf(db));
        environment["NFLC_Queue__Namespace"] = "prune";
        var history = new NflCompute.Storage.Tasks.TaskHistory(db, "prune");
        var longAgo = DateTimeOffset.UtcNow.AddDays(-120);
        foreach (var (id, at) in new[] { ("00000000q1", longAgo), ("00000000q2", DateTimeOffset.UtcNow) })
        {
            var key = new NflCompute.Storage.Tasks.AttemptKey(id, 1, 1L << 32);
            await history.AttemptStartedAsync(new NflCompute.Storage.Tasks.TaskAttemptStart(key, "noop", "cpu", 0, null, at, at, "w1", "cpu"));
            await history.AttemptFinishedAsync(key, "failed", "bad input", 0, 0, at.AddSeconds(1));
        }

        var pruned = await Nflc.RunAsync(environment, "db", "prune", "--older-than", "90d", "--json");
        var bad = await Nflc.RunAsync(environment, "db", "prune", "--older-than", "a while");

        Assert.True(pruned.ExitCode == 0, pruned.Stderr);
        var report = System.Text.Json.JsonDocument.Parse(pruned.Stdout).RootElement;
        Assert.Equal((1, 1), (report.GetProperty("tasks").GetInt32(), report.GetProperty("attempts").GetInt32()));
        await using var count = db.CreateCommand("SELECT string_agg(task_id, ',') FROM tasks");
        Assert.Equal("00000000q2", await count.ExecuteScalarAsync());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not a duration", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbPruneKeep_SetsTheRetention_AndTheBuiltInSchedule_WhoseJobPrunesByIt()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var environment = EnvironmentFor(PostgresServer.DatabaseOf(db));
        environment["NFLC_Queue__Namespace"] = "keep-" + Guid.NewGuid().ToString("N")[..8];
        environment["NFLC_Redis__Configuration"] = NflCompute.Queue.Tests.RedisServer.Endpoint;

        var set = await Nflc.RunAsync(environment, "db", "prune", "--keep", "90d", "--json");
        var both = await Nflc.RunAsync(environment, "db", "prune", "--keep", "90d", "--older-than", "1d");
        var tooShort = await Nflc.RunAsync(environment, "db", "prune", "--keep", "10m");

        Assert.True(set.ExitCode == 0, set.Stderr);
        var reply = System.Text.Json.JsonDocument.Parse(set.Stdout).RootElement;
        Assert.Equal(90, reply.GetProperty("keepDays").GetDouble());
        Assert.Equal("db-prune", reply.GetProperty("schedule").GetProperty("definition").GetProperty("kind").GetString());
        Assert.Equal(new NflCompute.Storage.Tasks.HistoryRetention(TimeSpan.FromDays(90), false), await new NflCompute.Storage.Tasks.HistoryPruner(db, environment["NFLC_Queue__Namespace"]).GetRetentionAsync());
        Assert.Equal((2, 2), (both.ExitCode, tooShort.ExitCode));
        Assert.Contains("exactly one of --older-than", both.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagsBeatEnvironment_AndBadSettingsExitWith3_NamingTheSetting()
    {
        var run = await Nflc.RunAsync(EnvironmentFor("postgres"), "db", "status", "--set", "Postgres:Port=0", "--set", "Postgres:MaxPoolSize=-1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("PostgresOptions.Port is 0", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("PostgresOptions.MaxPoolSize is -1", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task AnUnreachableServer_ExitsWith4()
    {
        var run = await Nflc.RunAsync(EnvironmentFor("postgres"), "db", "status", "--set", "Postgres:Port=1");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("Cannot reach the server", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbMigrate_GivesTheRolesTheirLogins_SoAWorkerLogsInAsNflcWorker_AndCannotChangeTheSchema()
    {
        await using var db = await postgres.NewDatabaseAsync();

        var migrate = await Nflc.RunAsync(EnvironmentFor(PostgresServer.DatabaseOf(db)), "db", "migrate");

        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        await using var worker = postgres.As(StorageRoles.Worker, PostgresServer.DatabaseOf(db));
        await using var whoami = worker.CreateCommand("SELECT current_user");
        Assert.Equal(StorageRoles.Worker, (string?)await whoami.ExecuteScalarAsync());
        await using var ddl = worker.CreateCommand("CREATE TABLE sneaky (id int)");
        Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<Npgsql.PostgresException>(() => ddl.ExecuteNonQueryAsync())).SqlState);
    }

    [Fact]
    public async Task DbBackup_WithoutAStanzaConfigured_SaysWhatToSet()
    {
        var run = await Nflc.RunAsync(EnvironmentFor("postgres"), "db", "backup");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("Backup:ConfigFile is not set", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCommand_ExitsWith2()
    {
        var run = await Nflc.RunAsync(null, "db", "frobnicate");

        Assert.Equal(2, run.ExitCode);
    }
}
