using NflCompute.Core.Telemetry;

namespace NflCompute.Jobs;

/// <summary>
/// Datasets read from Postgres once per worker: ids are content hashes, so a cached copy can never
/// be stale. Bounded by count and by bytes (a few large arrays must not hold a worker's memory);
/// the least recently used go first, and one larger than the whole budget is used but not kept.
/// Not found: <see cref="NflCompute.Storage.Datasets.DatasetNotFoundException"/>.
/// </summary>
public sealed class DatasetCache(DatasetResolver store, int capacity = 64, long maxBytes = DatasetCache.DefaultMaxBytes)
{
    /// <summary>The default byte budget: 512 MiB of arrays.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    private readonly Dictionary<string, (double[] Values, long LastUse)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _clock;
    private long _bytes;

    /// <summary>The bytes of the arrays held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The dataset's values.</summary>
    public async Task<double[]> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_cache.TryGetValue(id, out var hit))
            {
                _cache[id] = (hit.Values, ++_clock);
                return hit.Values;
            }
        }

        double[] values;
        using (var span = GridTracing.Jobs.StartStep("load dataset"))
        {
            span?.SetTag("nflc.dataset", id);
            values = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }

        var size = (long)values.Length * sizeof(double);
        lock (_lock)
        {
            if (size > maxBytes || _cache.ContainsKey(id))
            {
                return values;
            }

            _cache[id] = (values, ++_clock);
            _bytes += size;
            while (_cache.Count > capacity || _bytes > maxBytes)
            {
                var oldest = _cache.MinBy(e => e.Value.LastUse);
                _cache.Remove(oldest.Key);
                _bytes -= (long)oldest.Value.Values.Length * sizeof(double);
            }
        }

        return values;
    }
}
