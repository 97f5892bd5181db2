using System.Diagnostics;
using System.Threading.Channels;
using NflCompute.Queue;
using NflCompute.Storage.Results;
using NflCompute.Worker.Observability;
using Polly;

namespace NflCompute.Worker.Persistence;

/// <summary>
/// Makes results durable in batches: handlers' results queue up (bounded: a full queue makes
/// <see cref="EnqueueAsync"/> wait, which holds the run slot and so stops claiming); a writer
/// takes up to <see cref="WorkerOptions.PersistBatchSize"/> at a time, waiting at most
/// <see cref="WorkerOptions.PersistBatchDelay"/> for a batch to fill, commits them with their history
/// in one Postgres transaction and only then completes them in Redis with one call. Nothing is
/// acknowledged to Redis before its rows are committed, so a crash anywhere loses nothing, and a
/// task recovered after the commit finds its result durable and is not run again.
/// </summary>
internal sealed class CompletionPipeline : IAsyncDisposable
{
    private readonly Channel<Pending> _queue;
    private readonly TaskQueue _redis;
    private readonly ResultStore _results;
    private readonly ResiliencePipeline _persist;
    private readonly WorkerOptions _options;
    private readonly WorkerMetrics? _metrics;
    private readonly Task _writer;
    private readonly Func<BatchBoundary, Task>? _atBoundary;

    public CompletionPipeline(TaskQueue redis, ResultStore results, ResiliencePipeline persist, WorkerOptions options, WorkerMetrics? metrics, Func<BatchBoundary, Task>? atBoundary = null)
    {
        (_redis, _results, _persist, _options, _metrics, _atBoundary) = (redis, results, persist, options, metrics, atBoundary);
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(2 * options.PersistBatchSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>
    /// Queues a result; returns once it is queued, with the task that tells whether it was completed
    /// in Redis (false: the claim was stale or its lease lost; the result is discarded or was already durable).
    /// </summary>
    public async Task<Task<bool>> EnqueueAsync(ClaimedTask task, CompletedAttempt attempt, string inlineResult)
    {
        var pending = new Pending(task, attempt, inlineResult, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending).ConfigureAwait(false);
        return pending.Done.Task;
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.PersistBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Take(reader, batch);
            if (batch.Count < _options.PersistBatchSize && _options.PersistBatchDelay > TimeSpan.Zero)
            {
                using var window = new CancellationTokenSource(_options.PersistBatchDelay);
                try
                {
                    while (batch.Count < _options.PersistBatchSize && await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                    {
                        Take(reader, batch);
                    }
                }
                catch (OperationCanceledException) when (window.IsCancellationRequested)
                {
                    // The batch's time is up: write what it has.
                }
            }

            await FlushAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private void Take(ChannelReader<Pending> reader, List<Pending> batch)
    {
        while (batch.Count < _options.PersistBatchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            // Postgres first (one transaction), then Redis (one call); each waits out an outage.
            var rows = batch.ConvertAll(p => p.Attempt);
            await At(BatchBoundary.BeforeCommit).ConfigureAwait(false);
            var stale = await _persist.ExecuteAsync(async ct => await _results.CommitCompletedAsync(rows, ct).ConfigureAwait(false)).ConfigureAwait(false);
            await At(BatchBoundary.AfterCommit).ConfigureAwait(false);
            var fresh = batch.FindAll(p => !stale.Contains(p.Task.Id));
            var accepted = fresh.Count == 0 ? [] : await _persist.ExecuteAsync(async _ => await _redis.CompleteManyAsync(fresh.ConvertAll(p => (p.Task, p.InlineResult))).ConfigureAwait(false)).ConfigureAwait(false);
            for (var i = 0; i < fresh.Count; i++)
            {
                fresh[i].Done.TrySetResult(accepted[i]);
            }

            foreach (var p in batch)
            {
                p.Done.TrySetResult(false); // the stale ones: a newer claim wrote first
            }
        }
        catch (Exception e)
        {
            // Postgres or Redis stayed away past the outage patience: the tasks' leases lapse and
            // they are recovered (a committed result is found durable, not rerun).
            foreach (var p in batch)
            {
                p.Done.TrySetException(e);
            }
        }

        _metrics?.PersistBatch.Record(clock.Elapsed.TotalSeconds);
    }

    private Task At(BatchBoundary boundary) => _atBoundary?.Invoke(boundary) ?? Task.CompletedTask;

    private sealed record Pending(ClaimedTask Task, CompletedAttempt Attempt, string InlineResult, TaskCompletionSource<bool> Done);
}
