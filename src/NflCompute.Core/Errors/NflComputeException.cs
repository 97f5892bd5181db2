namespace NflCompute.Core.Errors;

/// <summary>
/// The base of every error NflCompute raises on purpose. Catch this to handle them all; check
/// <see cref="IsTransient"/> to decide whether trying again can help.
/// </summary>
public abstract class NflComputeException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected NflComputeException(string message, string? taskId = null, Exception? inner = null)
        : base(message, inner) => TaskId = taskId;

    /// <summary>The task the error concerns, when there is one.</summary>
    public string? TaskId { get; }

    /// <summary>True when the same call may succeed later (a server was unreachable, say).</summary>
    public virtual bool IsTransient => false;
}
