using NflCompute.Core.Errors;

namespace NflCompute.Jobs;

/// <summary>
/// A task's input cannot be run (malformed payload, a missing field, an unknown kind or dataset).
/// Not retryable: the task goes to the dead-letter queue with this message as its reason.
/// </summary>
public sealed class JobInputException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public JobInputException(string message, Exception? inner = null)
        : base(message, inner: inner)
    {
    }
}
