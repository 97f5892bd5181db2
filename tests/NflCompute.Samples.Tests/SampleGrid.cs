using NflCompute.Client;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;
using Npgsql;

namespace NflCompute.Samples.Tests;

/// <summary>A grid of the test's own for a sample: a fresh migrated database, a queue namespace, and a client on it.</summary>
public abstract class SampleGrid(PostgresServer postgres, string prefix) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    protected NpgsqlDataSource Db { get; private set; } = null!;

    protected GridClient Grid { get; private set; } = null!;

    protected GridClientOptions Options { get; } = new()
    {
        Redis = new RedisOptions { Configuration = RedisServer.Endpoint },
        Queue = new QueueOptions { Namespace = prefix + Guid.NewGuid().ToString("N")[..10] },
        PollInterval = TimeSpan.FromMilliseconds(200),
    };

    protected PostgresServer Postgres => postgres;

    public async Task InitializeAsync()
    {
        Db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(Db).MigrateAsync();
        Grid = await GridClient.ConnectAsync(Options);
        await Grid.Queue.ConfigureAsync();
    }

    public async Task DisposeAsync()
    {
        await Grid.DisposeAsync();
        await Db.DisposeAsync();
    }
}
