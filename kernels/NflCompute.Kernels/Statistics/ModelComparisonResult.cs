namespace NflCompute.Kernels.Statistics;

/// <summary>One model against the baseline; d = loss(baseline) - loss(model), so d &gt; 0 favours the model.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="MeanLoss">The model's mean loss.</param>
/// <param name="BaselineMeanLoss">The baseline's mean loss.</param>
/// <param name="Permutation">The sign-flip permutation test.</param>
/// <param name="AdjustedP">The permutation p-value adjusted across models.</param>
/// <param name="Bootstrap">Percentile and BCa intervals of mean(d).</param>
/// <param name="TTest">The paired t-test.</param>
/// <param name="DieboldMariano">Diebold-Mariano with the HLN correction.</param>
/// <param name="CohenDz">d_z.</param>
/// <param name="HedgesGz">g_z.</param>
public sealed record ModelComparisonResult(
    string Model,
    double MeanLoss,
    double BaselineMeanLoss,
    PermutationResult Permutation,
    double AdjustedP,
    BootstrapResult Bootstrap,
    TestStatistic TTest,
    TestStatistic DieboldMariano,
    double CohenDz,
    double HedgesGz)
{
    /// <summary>mean(d): how much lower the model's loss is than the baseline's.</summary>
    public double Improvement => BaselineMeanLoss - MeanLoss;
}
