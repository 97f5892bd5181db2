using NflCompute.Core.Errors;

namespace NflCompute.Storage.Backups;

/// <summary>pgBackRest or the scratch cluster failed; the message carries their own words.</summary>
public sealed class BackupException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public BackupException(string message)
        : base(message)
    {
    }
}
