namespace NflCompute.Core.Errors;

/// <summary>The grid namespace has no configuration in Redis yet: nothing has run its configure step.</summary>
public sealed class GridNotConfiguredException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public GridNotConfiguredException(string prefix)
        : base($"Grid {prefix} is not configured in Redis. Run `nflc grid configure` (the admin step; TaskQueue.ConfigureAsync from code) before submitting or starting workers.")
    {
    }
}
