using System.Diagnostics;
using System.Threading.Channels;
using NflCompute.Queue;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using NflCompute.Worker.Observability;
using Polly;

namespace NflCompute.Worker.Persistence;

/// <summary>
/// Makes results durable in batches: handlers' results and failures queue up (bounded: a full
/// queue makes <see cref="EnqueueAsync"/> wait, which holds the run slot and so stops claiming); a
/// writer takes up to <see cref="WorkerOptions.PersistBatchSize"/> at a time, waiting at most
/// <see cref="WorkerOptions.PersistBatchDelay"/> for a batch to fill, and writes up to
/// <see cref="WorkerOptions.PersistFlushes"/> batches at once. Results: committed with
/// their history in one Postgres transaction, and only then completed in Redis with one call.
/// Nothing is acknowledged to Redis before its rows are committed, so a crash anywhere loses
/// nothing, and a task recovered after the commit finds its result durable and is not run again.
/// Failures: reported to Redis in one call (it decides retry or dead letter), then their attempts
/// recorded in one transaction; a crash between the two leaves an attempt the next one records as
/// lost, never a task.
/// </summary>
internal sealed class CompletionPipeline : IAsyncDisposable
{
    private readonly Channel<Pending> _queue;
    private readonly TaskQueue _redis;
    private readonly ResultStore _results;
    private readonly TaskHistory _history;
    private readonly ResiliencePipeline _persist;
    private readonly WorkerOptions _options;
    private readonly WorkerMetrics? _metrics;
    private readonly Task _writer;
    private readonly Func<BatchBoundary, Task>? _atBoundary;

    public CompletionPipeline(TaskQueue redis, ResultStore results, TaskHistory history, ResiliencePipeline persist, WorkerOptions options, WorkerMetrics? metrics, Func<BatchBoundary, Task>? atBoundary = null)
    {
        (_redis, _results, _history, _persist, _options, _metrics, _atBoundary) = (redis, results, history, persist, options, metrics, atBoundary);
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(2 * options.PersistBatchSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>
    /// Queues a result; returns once it is queued, with the task that tells whether it was completed
    /// in Redis (false: the claim was stale or its lease lost; the result is discarded or was already durable).
    /// </summary>
    public async Task<Task<bool>> EnqueueAsync(ClaimedTask task, CompletedAttempt attempt, string inlineResult)
    {
        // Continuations run inline as a batch's outcomes are set: what follows is a task's
        // bookkeeping (a count, a log line, leaving the in-flight set), quicker than a thread-pool
        // hop per task, and the flush is done with the batch by then.
        var pending = new Pending(task, attempt, inlineResult, null, new TaskCompletionSource<bool>(), SpanNow());
        await _queue.Writer.WriteAsync(pending).ConfigureAwait(false);
        return pending.Done.Task;
    }

    /// <summary>
    /// Queues a failed attempt; returns once it is queued, with the task that tells what Redis made
    /// of it (a retry, the dead-letter queue, or the lease lost) once its attempt is recorded.
    /// </summary>
    public async Task<Task<FailOutcome>> EnqueueFailureAsync(TaskFailure failure, EndedAttempt attempt)
    {
        var pending = new Pending(failure.Task, null, "", new Failed(failure, attempt, new TaskCompletionSource<FailOutcome>()), new TaskCompletionSource<bool>(), SpanNow());
        await _queue.Writer.WriteAsync(pending).ConfigureAwait(false);
        return pending.Failure!.Done.Task;
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
        // Up to PersistFlushes batches are written at once, each on its own connection: while one
        // waits on its commit or its completion, the next fills and commits beside it. A batch
        // starts only when a flush is free, so a slow Postgres still fills the queue and stops claiming.
        using var flushes = new SemaphoreSlim(_options.PersistFlushes);
        var writing = new List<Task>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await flushes.WaitAsync().ConfigureAwait(false);
            var batch = new List<Pending>(_options.PersistBatchSize);
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

            writing.RemoveAll(t => t.IsCompleted);
            writing.Add(FlushThenFreeAsync(batch, flushes));
        }

        await Task.WhenAll(writing).ConfigureAwait(false);
    }

    private async Task FlushThenFreeAsync(List<Pending> batch, SemaphoreSlim flushes)
    {
        try
        {
            await FlushAsync(batch).ConfigureAwait(false);
        }
        finally
        {
            flushes.Release();
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
        // Rows in task-id order: batches written at once (this worker's, or other workers') then
        // take their row locks in one order and cannot deadlock on a task both touch.
        batch.Sort(static (a, b) => string.CompareOrdinal(a.Task.Id, b.Task.Id));
        var failures = batch.FindAll(p => p.Failure is not null);
        if (failures.Count > 0)
        {
            batch.RemoveAll(p => p.Failure is not null);
            await FlushFailuresAsync(failures).ConfigureAwait(false);
        }

        if (batch.Count > 0)
        {
            await FlushResultsAsync(batch).ConfigureAwait(false);
        }

        _metrics?.BatchPersisted(clock.Elapsed.TotalSeconds);
    }

    // Redis first (one call decides each task's retry or dead letter), then the attempts with the
    // status Redis gave them, in one transaction.
    private async Task FlushFailuresAsync(List<Pending> failures)
    {
        using var span = WorkerTracing.StartBatch("fail batch", failures.ConvertAll(p => p.Span));
        try
        {
            var outcomes = await _persist.ExecuteAsync(async _ => await _redis.FailManyAsync(failures.ConvertAll(p => p.Failure!.Report)).ConfigureAwait(false)).ConfigureAwait(false);
            var ended = failures.Select((p, i) => p.Failure!.Attempt with { Status = StatusOf(outcomes[i]) }).ToList();
            await _persist.ExecuteAsync(async ct => await _history.AttemptsEndedAsync(ended, ct).ConfigureAwait(false)).ConfigureAwait(false);
            for (var i = 0; i < failures.Count; i++)
            {
                failures[i].Failure!.Done.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception e)
        {
            foreach (var p in failures)
            {
                p.Failure!.Done.TrySetException(e);
            }
        }
    }

    /// <summary>How a failed attempt is recorded, by what Redis made of it.</summary>
    internal static string StatusOf(FailOutcome outcome) => outcome.Kind switch
    {
        FailOutcomeKind.RetryScheduled => "retrying",
        FailOutcomeKind.Cancelled => "cancelled",
        FailOutcomeKind.LeaseLost => "lease-lost",
        _ => "failed",
    };

    private async Task FlushResultsAsync(List<Pending> batch)
    {
        using var span = WorkerTracing.StartBatch("persist batch", batch.ConvertAll(p => p.Span));
        try
        {
            // Postgres first (one transaction), then Redis (one call); each waits out an outage.
            var rows = batch.ConvertAll(p => p.Attempt!);
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
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            // Postgres or Redis stayed away past the outage patience: the tasks' leases lapse and
            // they are recovered (a committed result is found durable, not rerun).
            foreach (var p in batch)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    private Task At(BatchBoundary boundary) => _atBoundary?.Invoke(boundary) ?? Task.CompletedTask;

    // The span that queued an item (its persistence span, or its attempt's for a failure): the batch's span hangs under the first.
    private static ActivityContext SpanNow() => Activity.Current?.Context ?? default;

    // A result (Attempt) or a failure (Failure) waiting for its batch, with the span that queued it.
    private sealed record Pending(ClaimedTask Task, CompletedAttempt? Attempt, string InlineResult, Failed? Failure, TaskCompletionSource<bool> Done, ActivityContext Span);

    private sealed record Failed(TaskFailure Report, EndedAttempt Attempt, TaskCompletionSource<FailOutcome> Done);
}
