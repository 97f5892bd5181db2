namespace NflCompute.Storage.Models;

/// <summary>A regression found by regression-check, with its evidence.</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The new version, found worse.</param>
/// <param name="ComparedTo">The version it is worse than.</param>
/// <param name="Metric">The scoring rule.</param>
/// <param name="Difference">Mean loss of the new version minus the old one's.</param>
/// <param name="PValue">One-sided permutation p-value.</param>
/// <param name="AdjustedP">The p-value after correction.</param>
/// <param name="Margin">The margin the difference had to exceed.</param>
/// <param name="Evidence">The whole comparison as JSON.</param>
public sealed record RegressionRow(string Model, string Version, string ComparedTo, string Metric, double Difference, double PValue, double AdjustedP, double Margin, string Evidence);
