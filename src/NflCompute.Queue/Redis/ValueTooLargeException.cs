using NflCompute.Core.Errors;

namespace NflCompute.Queue.Redis;

/// <summary>
/// A value in Redis is larger than the reader accepts (a staged dataset over
/// <see cref="QueueOptions.MaxDatasetBytes"/>): refused before its bytes are fetched, so one
/// oversized key cannot exhaust a worker's memory. Not retried.
/// </summary>
public sealed class ValueTooLargeException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public ValueTooLargeException(string key, long length, long maxBytes)
        : base($"{key} holds {length:N0} bytes; at most {maxBytes:N0} are read (QueueOptions.MaxDatasetBytes).") => (Length, MaxBytes) = (length, maxBytes);

    /// <summary>The value's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The most this reader accepts.</summary>
    public long MaxBytes { get; }
}
