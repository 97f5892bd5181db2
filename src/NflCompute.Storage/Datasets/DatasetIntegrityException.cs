using NflCompute.Core.Errors;

namespace NflCompute.Storage.Datasets;

/// <summary>
/// A dataset's stored bytes no longer hash to its id: they were changed in the database after they
/// were stored. Not retried: a task that reads it ends in the dead-letter queue with this reason.
/// </summary>
public sealed class DatasetIntegrityException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public DatasetIntegrityException(string id, string storedHash)
        : base($"Dataset {id} was altered in the database: its bytes now hash to {storedHash}. Upload the data again (a new id) and resubmit.")
        => DatasetId = id;

    /// <summary>The dataset's id.</summary>
    public string DatasetId { get; }
}
