namespace NflCompute.Core.Errors;

/// <summary>A task did not finish within the time the caller was willing to wait; it may still finish later.</summary>
public sealed class GridTimeoutException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public GridTimeoutException(string taskId, TimeSpan timeout, string state)
        : base($"Task {taskId} did not finish within {timeout}; it is {state}.", taskId)
        => Timeout = timeout;

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Timeout { get; }
}
