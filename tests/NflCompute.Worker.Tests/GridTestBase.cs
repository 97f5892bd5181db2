using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;
using Npgsql;

namespace NflCompute.Worker.Tests;

/// <summary>A test's own grid: a fresh migrated database and a queue namespace of its own on the shared Redis.</summary>
public abstract class GridTestBase(RedisServer redis, PostgresServer postgres, string namespacePrefix) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    protected NpgsqlDataSource Db { get; private set; } = null!;

    protected TaskQueue Queue { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(Db).MigrateAsync();
        Queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = namespacePrefix + Guid.NewGuid().ToString("N")[..10] });
        await Queue.ConfigureAsync();
    }

    public virtual async Task DisposeAsync() => await Db.DisposeAsync();
}
