using System.Globalization;
using System.Text;
using NflCompute.Client;
using NflCompute.Core.Jobs;

namespace Samples.CompareModels;

/// <summary>A season's outcomes, the market's probabilities (the baseline) and the models' probabilities of a home win.</summary>
/// <param name="Outcomes">1 for a home win, 0 for a loss, one per game.</param>
/// <param name="Market">The baseline's probability of a home win, one per game.</param>
/// <param name="Models">Each model's probabilities, by name, aligned with the outcomes.</param>
public sealed record Season(double[] Outcomes, double[] Market, IReadOnlyDictionary<string, double[]> Models);

/// <summary>The part of a compare-models result this sample reads (the result has more: permutation counts, t and Diebold-Mariano tests, effect sizes).</summary>
/// <param name="Device">The device the worker ran it on.</param>
/// <param name="Models">One entry per model, in the order submitted.</param>
public sealed record ComparisonResult(string Device, IReadOnlyList<ModelScore> Models);

/// <summary>One model against the baseline.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="MeanLoss">Its mean Brier score.</param>
/// <param name="BaselineMeanLoss">The baseline's.</param>
/// <param name="Improvement">Baseline loss minus the model's: positive is better.</param>
/// <param name="AdjustedP">The permutation test's two-sided p-value, Holm-adjusted across the models.</param>
/// <param name="Bootstrap">The bootstrap interval of the improvement.</param>
public sealed record ModelScore(string Model, double MeanLoss, double BaselineMeanLoss, double Improvement, double AdjustedP, BootstrapInterval Bootstrap);

/// <summary>A bias-corrected and accelerated bootstrap interval.</summary>
/// <param name="Level">Its confidence level.</param>
/// <param name="BcaLow">Its lower end.</param>
/// <param name="BcaHigh">Its upper end.</param>
public sealed record BootstrapInterval(double Level, double BcaLow, double BcaHigh);

/// <summary>Upload the data, submit one compare-models job, wait for its result.</summary>
public static class ComparisonSample
{
    /// <summary>Compares every model of <paramref name="season"/> with its market on the grid.</summary>
    /// <exception cref="NflCompute.Core.Errors.TaskFailedException">The job failed; the message is the worker's reason (a NaN in a prediction, lengths that differ).</exception>
    /// <exception cref="NflCompute.Core.Errors.GridTimeoutException">No result within <paramref name="timeout"/>.</exception>
    public static async Task<ComparisonResult> RunAsync(GridClient grid, Season season, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(season);
        // Datasets are stored by content: uploading the same outcomes again stores nothing new.
        var models = new List<ModelPredictions>();
        foreach (var (name, predictions) in season.Models)
        {
            models.Add(new ModelPredictions(name, await grid.UploadAsync(predictions)));
        }

        var id = await grid.SubmitAsync(new CompareModelsSpec
        {
            Outcomes = await grid.UploadAsync(season.Outcomes),
            Baseline = await grid.UploadAsync(season.Market),
            Models = models,
            PermutationResamples = 20_000,
            BootstrapResamples = 10_000,
        });
        return await grid.WaitAsync<ComparisonResult>(id, timeout);
    }

    /// <summary>
    /// A made-up season: each game's true home-win probability from a logistic of the two teams'
    /// strengths, a market that knows it within a few points, a "sharp" model closer still and a
    /// "noisy" one further off. The same seed gives the same season.
    /// </summary>
    public static Season ExampleSeason(int games, int seed)
    {
        var random = new Random(seed);
        var (outcomes, market, sharp, noisy) = (new double[games], new double[games], new double[games], new double[games]);
        for (var g = 0; g < games; g++)
        {
            var truth = 1 / (1 + Math.Exp(-(0.25 + (1.2 * Normal(random)))));
            outcomes[g] = random.NextDouble() < truth ? 1 : 0;
            market[g] = Clamp(truth + (0.04 * Normal(random)));
            sharp[g] = Clamp(truth + (0.01 * Normal(random)));
            noisy[g] = Clamp(truth + (0.15 * Normal(random)));
        }

        return new Season(outcomes, market, new Dictionary<string, double[]> { ["sharp"] = sharp, ["noisy"] = noisy });
    }

    /// <summary>One line per model: its Brier score, the improvement with its interval, and the adjusted p-value.</summary>
    public static string Format(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"on {result.Device}:\n");
        foreach (var m in result.Models)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {m.Model,-8} Brier {m.MeanLoss:F4} vs market {m.BaselineMeanLoss:F4}: improvement {m.Improvement:+0.0000;-0.0000} ({m.Bootstrap.Level:P0} CI {m.Bootstrap.BcaLow:+0.0000;-0.0000} .. {m.Bootstrap.BcaHigh:+0.0000;-0.0000}), Holm p {m.AdjustedP:G3}\n");
        }

        return text.ToString();
    }

    private static double Clamp(double p) => Math.Clamp(p, 0.01, 0.99);

    // Box-Muller: one standard normal draw.
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
