// The client example of the README, compiled by this project so it cannot rot.
using NflCompute.Client;
using NflCompute.Core.Jobs;

namespace Readme;

public static class ReadmeExample
{
    public static async Task<string> CompareAsync(GridClientOptions options, double[] outcomes, double[] market, double[] elo)
    {
        await using var grid = await GridClient.ConnectAsync(options);
        var id = await grid.SubmitAsync(new CompareModelsSpec
        {
            Outcomes = await grid.UploadAsync(outcomes),
            Baseline = await grid.UploadAsync(market),
            Models = [new ModelPredictions("elo", await grid.UploadAsync(elo))],
        });
        var result = await grid.WaitAsync(id, TimeSpan.FromMinutes(5));
        return result.Json!;
    }
}
