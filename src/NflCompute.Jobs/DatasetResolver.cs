using NflCompute.Core.Datasets;
using NflCompute.Queue;
using NflCompute.Storage.Datasets;

namespace NflCompute.Jobs;

/// <summary>
/// Finds a dataset by id: in Postgres, or else staged in Redis by a client (which talks only to
/// Redis), in which case it is checked against its id and moved to Postgres on the way.
/// </summary>
public sealed class DatasetResolver(DatasetStore store, TaskQueue? staging = null)
{
    /// <summary>A number array.</summary>
    /// <exception cref="DatasetNotFoundException">Neither Postgres nor Redis holds it.</exception>
    public async Task<double[]> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DatasetNotFoundException)
        {
            if (!await PromoteAsync(id, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        return await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A text.</summary>
    /// <exception cref="DatasetNotFoundException">Neither Postgres nor Redis holds it.</exception>
    public async Task<string> GetTextAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.GetTextAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DatasetNotFoundException)
        {
            if (!await PromoteAsync(id, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        return await store.GetTextAsync(id, cancellationToken).ConfigureAwait(false);
    }

    // Moves a staged dataset to Postgres; false when none is staged.
    private async Task<bool> PromoteAsync(string id, CancellationToken cancellationToken)
    {
        if (staging is null || await staging.GetStagedDatasetAsync(id).ConfigureAwait(false) is not { } encoded)
        {
            return false;
        }

        if (DatasetEncoding.IdOf(encoded) != id)
        {
            throw new JobInputException($"the dataset staged as {id} does not hash to its id; upload it again.");
        }

        await store.PutEncodedAsync(encoded, "uploaded", cancellationToken).ConfigureAwait(false);
        return true;
    }
}
