using System.Collections.Concurrent;

namespace NflCompute.Jobs;

/// <summary>
/// Datasets read from Postgres once per worker: ids are content hashes, so a cached copy can never
/// be stale. Bounded by count; the least recently used go first. Not found:
/// <see cref="NflCompute.Storage.Datasets.DatasetNotFoundException"/>.
/// </summary>
public sealed class DatasetCache(DatasetResolver store, int capacity = 64)
{
    private readonly ConcurrentDictionary<string, (double[] Values, long LastUse)> _cache = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>The dataset's values.</summary>
    public async Task<double[]> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(id, out var hit))
        {
            _cache[id] = (hit.Values, Interlocked.Increment(ref _clock));
            return hit.Values;
        }

        var values = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        _cache[id] = (values, Interlocked.Increment(ref _clock));
        while (_cache.Count > capacity)
        {
            var oldest = _cache.MinBy(e => e.Value.LastUse).Key;
            _cache.TryRemove(oldest, out _);
        }

        return values;
    }
}
