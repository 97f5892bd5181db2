using NflCompute.Jobs;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

public sealed class DatasetCacheTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TheCache_KeepsWithinItsByteBudget_AndNeverKeepsOneLargerThanIt()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var store = new DatasetStore(db);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await store.PutAsync(Enumerable.Range(0, 1000).Select(x => (double)(x + (i * 1000))).ToArray(), "predictions"));
        }

        var huge = await store.PutAsync(new double[3000], "predictions");
        var cache = new DatasetCache(new DatasetResolver(store), capacity: 64, maxBytes: 20_000);

        foreach (var id in ids)
        {
            Assert.Equal(1000, (await cache.GetAsync(id)).Length);
        }

        Assert.Equal(16_000, cache.Bytes); // two arrays of 8,000 bytes; the first one went
        Assert.Equal(3000, (await cache.GetAsync(huge)).Length);
        Assert.Equal(16_000, cache.Bytes); // 24,000 bytes: served, not kept
        Assert.Equal(1000, (await cache.GetAsync(ids[0])).Length); // read again, another one goes
        Assert.Equal(16_000, cache.Bytes);
    }
}
