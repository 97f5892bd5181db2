using NflCompute.Core.Errors;

namespace NflCompute.Storage.Datasets;

/// <summary>
/// A dataset cannot be read as what the task needs (text where numbers are expected, a length that
/// does not match its bytes, text that is not UTF-8): not retryable; the task goes to the DLQ.
/// </summary>
public sealed class DatasetTypeException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public DatasetTypeException(string datasetId, string message)
        : base(message) => DatasetId = datasetId;

    /// <summary>The dataset's id.</summary>
    public string DatasetId { get; }
}
