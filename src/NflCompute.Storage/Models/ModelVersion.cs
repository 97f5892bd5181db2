namespace NflCompute.Storage.Models;

/// <summary>A model version regression-check has seen.</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version.</param>
/// <param name="Outcomes">Outcomes dataset its predictions are aligned with.</param>
/// <param name="Predictions">Its predictions dataset.</param>
/// <param name="Rule">The scoring rule of <paramref name="MeanLoss"/>.</param>
/// <param name="MeanLoss">Its mean loss.</param>
/// <param name="RegisteredAt">When it was first seen.</param>
public sealed record ModelVersion(string Model, string Version, string Outcomes, string Predictions, string Rule, double MeanLoss, DateTimeOffset RegisteredAt);
