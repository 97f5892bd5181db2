namespace NflCompute.Queue;

/// <summary>The shape of a <see cref="BackoffPolicy"/>.</summary>
public enum BackoffKind
{
    /// <summary>The same delay before every retry.</summary>
    Fixed,

    /// <summary>The delay doubles with each failed attempt, up to a cap.</summary>
    Exponential,
}
