using NflCompute.Core.Jobs;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Jobs.Nfl;

/// <summary>Turns the Elo constants of a spec into the kernels' parameters.</summary>
public static class EloParametersInput
{
    /// <summary>The parameters, each one left out 538's, validated.</summary>
    /// <exception cref="JobInputException">A value is out of range; the message names it.</exception>
    public static EloParameters Resolve(EloParametersSpec? spec, string where)
    {
        var c = EloParameters.Classic;
        var p = spec is null ? c : new EloParameters(spec.K ?? c.K, spec.HomeEdge ?? c.HomeEdge, spec.Reversion ?? c.Reversion, spec.MarginScale ?? c.MarginScale, spec.MarginSlope ?? c.MarginSlope);
        var problems = p.Validate(where);
        return problems.Count == 0 ? p : throw new JobInputException(string.Join(" ", problems));
    }
}
