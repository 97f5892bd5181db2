namespace NflCompute.Storage.Models;

/// <summary>One figure of one model version in <c>model_metrics</c>.</summary>
/// <param name="Model">The model, e.g. elo.</param>
/// <param name="Version">Its version.</param>
/// <param name="Metric">What was measured, e.g. brier or brier-holm-p.</param>
/// <param name="Value">The figure.</param>
/// <param name="N">Games it rests on.</param>
/// <param name="Season">The season, or null when pooled.</param>
/// <param name="Details">Evidence as JSON (differences, p-values, intervals), or null.</param>
public sealed record ModelMetricRow(string Model, string Version, string Metric, double Value, int N, int? Season, string? Details);
