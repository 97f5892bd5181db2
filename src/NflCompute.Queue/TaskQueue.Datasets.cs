namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>
    /// Stages a dataset's bytes in Redis under its content-addressed id for <paramref name="ttl"/>,
    /// so a client that talks only to Redis can hand big inputs to workers, which move them to
    /// Postgres on first use. Staging the same id again stores nothing new.
    /// </summary>
    /// <returns>True when stored now, false when already staged.</returns>
    public Task<bool> StageDatasetAsync(string id, byte[] bytes, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if ((long)bytes.Length > Options.MaxDatasetBytes)
        {
            throw new ArgumentException($"Dataset {id} is {bytes.Length:N0} bytes; staging takes at most {Options.MaxDatasetBytes:N0} (QueueOptions.MaxDatasetBytes).", nameof(bytes));
        }

        return _redis.SetIfAbsentAsync(DatasetKey(id), bytes, ttl);
    }

    /// <summary>A staged dataset's bytes, or null when none is staged under <paramref name="id"/>.</summary>
    /// <exception cref="Redis.ValueTooLargeException">It is larger than <see cref="QueueOptions.MaxDatasetBytes"/> (checked before it is read).</exception>
    public Task<byte[]?> GetStagedDatasetAsync(string id) => _redis.GetAsync(DatasetKey(id), Options.MaxDatasetBytes);

    private string DatasetKey(string id) => Options.Prefix + ":ds:" + id;
}
