using NflCompute.Core.Errors;

namespace NflCompute.Storage.Datasets;

/// <summary>A task names a dataset that is not in Postgres: not retryable; the task goes to the DLQ.</summary>
public sealed class DatasetNotFoundException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public DatasetNotFoundException(string datasetId)
        : base($"Dataset {datasetId} does not exist; upload it before submitting tasks that use it.") => DatasetId = datasetId;

    /// <summary>The missing dataset's id.</summary>
    public string DatasetId { get; }
}
