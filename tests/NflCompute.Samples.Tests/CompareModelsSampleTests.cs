using NflCompute.Storage.Tests;
using NflCompute.Worker.Tests;
using Samples.CompareModels;

namespace NflCompute.Samples.Tests;

/// <summary>samples/CompareModels: upload, submit a comparison, wait, read the typed result.</summary>
public sealed class CompareModelsSampleTests(PostgresServer postgres) : SampleGrid(postgres, "sample-compare-")
{
    [Fact]
    public async Task TheSample_ComparesItsModelsWithTheMarket_AndTellsTheNoisyOneIsWorse()
    {
        await using var worker = InProcessWorker.Start(Grid.Queue, Db, "sample-compare-worker");

        var result = await ComparisonSample.RunAsync(Grid, ComparisonSample.ExampleSeason(games: 544, seed: 7), TimeSpan.FromMinutes(2));

        Assert.Equal(["sharp", "noisy"], result.Models.Select(m => m.Model));
        var noisy = result.Models[1];
        // The noisy model is 0.15 off the truth where the market is 0.04: clearly worse, and the
        // interval and the test both say so.
        Assert.True(noisy.Improvement < 0 && noisy.Bootstrap.BcaHigh < 0 && noisy.AdjustedP < 0.01, ComparisonSample.Format(result));
        Assert.Equal(noisy.BaselineMeanLoss - noisy.MeanLoss, noisy.Improvement, 12);
        Assert.Contains("noisy    Brier", ComparisonSample.Format(result), StringComparison.Ordinal);
    }
}
