using System.Text.Json;
using NflCompute.Storage.Datasets;
using Npgsql;

namespace NflCompute.Worker.Tests;

/// <summary>Inputs and look-ups the worker tests share.</summary>
internal static class TestData
{
    /// <summary>
    /// A compare-models payload over <paramref name="games"/> random coin-flip games: a 0.5 baseline
    /// against a model that says <paramref name="hit"/> for a home win and <paramref name="miss"/>
    /// otherwise; its size (games x resamples) decides how long it runs.
    /// </summary>
    public static async Task<string> ComparisonAsync(DatasetStore datasets, int seed, int games, double hit, double miss, long permutationResamples, long bootstrapResamples)
    {
        var random = new System.Random(seed);
        var y = Enumerable.Range(0, games).Select(_ => random.NextDouble() < 0.5 ? 1.0 : 0.0).ToArray();
        return JsonSerializer.Serialize(new
        {
            outcomes = await datasets.PutAsync(y, "outcomes"),
            baseline = await datasets.PutAsync(y.Select(_ => 0.5).ToArray(), "predictions"),
            models = new[] { new { name = "m", predictions = await datasets.PutAsync(y.Select(v => v == 1 ? hit : miss).ToArray(), "predictions") } },
            permutationResamples,
            bootstrapResamples,
        });
    }

    /// <summary>The single value <paramref name="sql"/> selects.</summary>
    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
