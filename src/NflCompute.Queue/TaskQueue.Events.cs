using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>
    /// Calls <paramref name="onWake"/> whenever work was queued (a submit, a retry, a recovered or
    /// requeued task, a child whose parents finished), until the result is disposed: idle workers
    /// claim at once instead of at their next poll. At most once, like all pub/sub: polling stays the fallback.
    /// </summary>
    public Task<IAsyncDisposable> SubscribeWakeAsync(Action onWake)
    {
        ArgumentNullException.ThrowIfNull(onWake);
        return _redis.SubscribeAsync(WakeChannel, _ => onWake());
    }

    /// <summary>Receives every final-state announcement of the grid until the result is disposed.</summary>
    public Task<IAsyncDisposable> SubscribeAsync(Action<TaskEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        return _redis.SubscribeAsync(EventsChannel, message =>
        {
            var parts = message.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 1 && parts[0].Length == 1)
            {
                onEvent(new TaskEvent(TaskStates.FromCode(parts[0][0]), parts[1..]));
            }
        });
    }

    /// <summary>
    /// Waits until a task completes, fails or is cancelled and returns it. Listens on the events
    /// channel and also polls every <paramref name="pollInterval"/> (default 1 s), so a missed
    /// message (pub/sub is at-most-once) costs at most one interval.
    /// </summary>
    /// <exception cref="TaskNotFoundException">No such task.</exception>
    /// <exception cref="TimeoutException">It did not finish within <paramref name="timeout"/>.</exception>
    /// <remarks>A poll that finds Redis away (a restart, a failover) is retried until the deadline.</remarks>
    public Task<TaskInfo> WaitAsync(string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default) =>
        WaitAsync(id, timeout, pollInterval, progress: null, cancellationToken);

    /// <summary>
    /// <see cref="WaitAsync(string, TimeSpan, TimeSpan?, CancellationToken)"/>, reporting the task's
    /// progress to <paramref name="progress"/> each time a poll finds it changed.
    /// </summary>
    public async Task<TaskInfo> WaitAsync(string id, TimeSpan timeout, TimeSpan? pollInterval, IProgress<JobProgress>? progress, CancellationToken cancellationToken = default)
    {
        TaskIds.ThrowIfInvalid(id, nameof(id));
        var poll = pollInterval ?? TimeSpan.FromSeconds(1);
        var signal = new SemaphoreSlim(0);
        // Events only wake the wait early; when Redis is away as it begins, it polls alone.
        IAsyncDisposable subscription;
        try
        {
            subscription = await SubscribeAsync(e =>
            {
                if (e.TaskIds.Contains(id))
                {
                    signal.Release();
                }
            }).ConfigureAwait(false);
        }
        catch (GridUnavailableException)
        {
            subscription = NoSubscription.Instance;
        }

        await using var unsubscribe = subscription.ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var state = "not yet read";
        JobProgress? reported = null;
        while (true)
        {
            try
            {
                var info = await GetAsync(id).ConfigureAwait(false) ?? throw new TaskNotFoundException(id);
                if (info.Progress is { } now && now != reported)
                {
                    progress?.Report(now);
                    reported = now;
                }

                if (info.State.IsFinal())
                {
                    return info;
                }

                state = info.State.ToString();
            }
            catch (GridUnavailableException) when (!deadline.IsCancellationRequested)
            {
                // Redis is away (a restart, a failover): a wait outlasts that as it outlasts a
                // missed event, up to its deadline.
            }

            try
            {
                await signal.WaitAsync(poll, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Task {id} did not finish within {timeout}; it is {state}.");
            }
        }
    }

    private sealed class NoSubscription : IAsyncDisposable
    {
        public static readonly NoSubscription Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
