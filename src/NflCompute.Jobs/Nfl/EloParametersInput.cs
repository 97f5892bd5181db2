using NflCompute.Kernels.Nfl;

namespace NflCompute.Jobs.Nfl;

/// <summary>Elo constants in a payload; each one left out is 538's.</summary>
/// <param name="K">Update speed (20).</param>
/// <param name="HomeEdge">Home edge in Elo points (65).</param>
/// <param name="Reversion">Share of the way back to 1505 between seasons (1/3).</param>
/// <param name="MarginScale">Margin multiplier scale (2.2).</param>
/// <param name="MarginSlope">Margin multiplier slope (0.001).</param>
public sealed record EloParametersInput(double? K = null, double? HomeEdge = null, double? Reversion = null, double? MarginScale = null, double? MarginSlope = null)
{
    /// <summary>The parameters, validated.</summary>
    /// <exception cref="JobInputException">A value is out of range; the message names it.</exception>
    public EloParameters Resolve(string where)
    {
        var c = EloParameters.Classic;
        var p = new EloParameters(K ?? c.K, HomeEdge ?? c.HomeEdge, Reversion ?? c.Reversion, MarginScale ?? c.MarginScale, MarginSlope ?? c.MarginSlope);
        var problems = p.Validate(where);
        return problems.Count == 0 ? p : throw new JobInputException(string.Join(" ", problems));
    }
}
