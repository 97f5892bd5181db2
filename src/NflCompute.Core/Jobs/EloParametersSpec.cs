namespace NflCompute.Core.Jobs;

/// <summary>Elo constants; each one left out is 538's.</summary>
/// <param name="K">Update speed (20).</param>
/// <param name="HomeEdge">Home edge in Elo points (65).</param>
/// <param name="Reversion">Share of the way back to 1505 between seasons (1/3).</param>
/// <param name="MarginScale">Margin multiplier scale (2.2).</param>
/// <param name="MarginSlope">Margin multiplier slope (0.001).</param>
public sealed record EloParametersSpec(double? K = null, double? HomeEdge = null, double? Reversion = null, double? MarginScale = null, double? MarginSlope = null);
