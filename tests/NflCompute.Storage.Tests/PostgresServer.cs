using Npgsql;

namespace NflCompute.Storage.Tests;

/// <summary>
/// The Postgres the tests run against: the one deploy/local/up.sh starts (its NFLC_Postgres__*
/// settings, which deploy/local/test.sh exports). Each test gets a database of its own, dropped
/// afterwards. Missing, every test fails saying what to start.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly List<string> _databases = [];

    public PostgresOptions Superuser { get; } = new()
    {
        Host = Environment.GetEnvironmentVariable("NFLC_Postgres__Host") ?? "127.0.0.1",
        Port = int.Parse(Environment.GetEnvironmentVariable("NFLC_Postgres__Port") ?? "15432", System.Globalization.CultureInfo.InvariantCulture),
        Database = "postgres",
        Username = "postgres",
        PasswordFile = Environment.GetEnvironmentVariable("NFLC_Postgres__PasswordFile") ?? LocalPasswordFile(),
        SslMode = SslMode.Disable,
    };

    /// <summary>
    /// The grid's least-privilege roles' password files: the local grid's (deploy/local/up.sh),
    /// shared by every test, so tests running at once never set a role a different password.
    /// </summary>
    public RoleOptions Roles { get; } = new()
    {
        WorkerPasswordFile = Environment.GetEnvironmentVariable("NFLC_Roles__WorkerPasswordFile") ?? LocalFile("secrets", "nflc_worker.password"),
        ReaderPasswordFile = Environment.GetEnvironmentVariable("NFLC_Roles__ReaderPasswordFile") ?? LocalFile("secrets", "nflc_reader.password"),
    };

    /// <summary>The local CA that signed the server's certificate (deploy/local/up.sh), or null.</summary>
    public string? TlsCaFile { get; } = Environment.GetEnvironmentVariable("NFLC_LOCAL_TLS_CA") ?? LocalFile("tls", "ca.crt");

    private NpgsqlDataSource _admin = null!;

    public async Task InitializeAsync()
    {
        try
        {
            _admin = PostgresDataSource.Create(Superuser);
            await using var connection = await _admin.OpenConnectionAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"These tests need the local Postgres ({Superuser}). Start it with `eval \"$(deploy/local/up.sh)\"` or run deploy/local/test.sh. The cause: {e.Message}", e);
        }

        // The roles are made by the migrations (cluster-wide): migrate a database of the fixture's
        // own, then give them their logins, as `nflc db migrate` does on a grid.
        await using var roles = await NewDatabaseAsync();
        await new Migrations.MigrationRunner(roles).MigrateAsync();
        await StorageRoles.SetLoginsAsync(roles, Roles);
    }

    /// <summary>A new, empty database as the superuser (the migrations owner), dropped after the test class.</summary>
    public async Task<NpgsqlDataSource> NewDatabaseAsync()
    {
        var name = "nflc_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return PostgresDataSource.Create(Superuser, name);
    }

    /// <summary>The database a data source connects to.</summary>
    public static string DatabaseOf(NpgsqlDataSource db) => new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!;

    /// <summary>A data source for <paramref name="database"/> logging in as the grid's <paramref name="role"/> with its password file.</summary>
    public NpgsqlDataSource As(string role, string database) => PostgresDataSource.Create(Roles.For(role, Superuser, maxPoolSize: 10, database));

    public async Task DisposeAsync()
    {
        foreach (var name in _databases)
        {
            await using var drop = _admin.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }

        await _admin.DisposeAsync();
    }

    private static string? LocalPasswordFile() => LocalFile("pg", "superuser.password");

    private static string? LocalFile(string folder, string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".local", folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
