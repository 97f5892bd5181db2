namespace NflCompute.Core.Errors;

/// <summary>The grid namespace has no configuration in Redis yet: nothing has run its configure step.</summary>
public sealed class GridNotConfiguredException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public GridNotConfiguredException(string prefix)
        : base($"Grid {prefix} is not configured in Redis. Call TaskQueue.ConfigureAsync (a worker or `nflc` does this at start) before submitting.")
    {
    }
}
