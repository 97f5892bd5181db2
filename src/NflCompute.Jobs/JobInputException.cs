using NflCompute.Core.Errors;
using NflCompute.Kernels.Statistics;
using NflCompute.Storage.Datasets;

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

    /// <summary>
    /// Why a handler's failure means its input cannot run, or null when it does not: a
    /// <see cref="JobInputException"/>, a dataset the payload names that does not exist or is of the wrong type, or data the
    /// statistics engine refuses (NaN, wrong lengths, ...).
    /// </summary>
    public static string? ReasonFor(Exception error) => error switch
    {
        JobInputException e => e.Message,
        DatasetNotFoundException e => $"payload names {e.Message}",
        DatasetTypeException e => $"payload names a dataset it cannot use: {e.Message}",
        DatasetIntegrityException e => $"payload names a dataset it cannot trust: {e.Message}",
        NflCompute.Queue.Redis.ValueTooLargeException e => $"payload names a staged dataset too large to read: {e.Message}",
        StatisticsInputException e => $"payload data: {e.Message}",
        _ => null,
    };
}
