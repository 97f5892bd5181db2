namespace NflCompute.Core.Errors;

/// <summary>
/// A server the grid depends on (Redis or Postgres) could not be reached or timed out. Transient:
/// the call may succeed once the server is back.
/// </summary>
public sealed class GridUnavailableException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public GridUnavailableException(string message, Exception inner)
        : base(message, inner: inner)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
