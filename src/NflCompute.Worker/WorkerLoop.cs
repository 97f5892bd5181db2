using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NflCompute.Core.Errors;
using NflCompute.Core.Jobs;
using NflCompute.Core.Telemetry;
using NflCompute.Jobs;
using NflCompute.Kernels.Devices;
using NflCompute.Queue;
using NflCompute.Storage.Machines;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NflCompute.Worker.Observability;
using NflCompute.Worker.Persistence;

namespace NflCompute.Worker;

/// <summary>
/// A worker's work: registers its device, claims tasks within its concurrency, runs each through
/// its handler, and hands the result to the <see cref="CompletionPipeline"/>, which writes results
/// in batches to Postgres (fenced, once) and only then completes them in Redis, so a crash between
/// the two loses nothing and duplicates nothing. Input errors fail without retry (the DLQ keeps the
/// reason); other errors retry with the queue's backoff. Heartbeats renew leases and deliver
/// cancellations; a recovery pass runs on a timer.
/// </summary>
public sealed partial class WorkerLoop(
    TaskQueue queue,
    ResultStore results,
    TaskHistory history,
    MachineRegistry machines,
    JobRegistry handlers,
    DatasetCache datasets,
    ComputeBackend device,
    WorkerOptions options,
    ILogger<WorkerLoop>? logger = null,
    WorkerMetrics? metrics = null,
    TimeProvider? time = null,
    JobLimits? limits = null)
{
    // The first idle wait; it doubles while the queues stay empty, up to IdlePoll.
    private static readonly TimeSpan IdleStart = TimeSpan.FromMilliseconds(20);

    private readonly JobLimits _limits = limits ?? new JobLimits();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _log = logger ?? NullLogger<WorkerLoop>.Instance;
    private readonly Polly.ResiliencePipeline _persist = Resilience.Create(options.OutagePatience, time ?? TimeProvider.System, open =>
    {
        metrics?.CircuitOpen(open);
        (logger ?? NullLogger<WorkerLoop>.Instance).LogWarning(open ? "Circuit opened: Redis or Postgres is failing; tasks wait for it" : "Circuit closed: calls succeed again");
    });
    private readonly string[] _classes = [.. (IEnumerable<string>?)options.Classes ?? DeviceClasses.For(device.Profile)];
    private readonly ConcurrentDictionary<string, Held> _inFlight = new(StringComparer.Ordinal);

    // Completed (and replaced by a fresh one) whenever the grid queues work: an idle wait ends at once.
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CompletionPipeline? _pipeline;

    /// <summary>Tasks this worker is running now.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Called at each boundary of every batch flush: where the fault tests stop servers.</summary>
    internal Func<BatchBoundary, Task>? AtBatchBoundary { get; init; }

    /// <summary>Runs until <paramref name="stop"/> is signalled, then finishes or hands back what it holds.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        // A class the grid does not have would pass registration and fail the first claim.
        var gridClasses = queue.Options.Classes;
        OptionsValidationException.ThrowIfAny([.. options.Validate(), .. _classes.Where(c => !gridClasses.Contains(c)).Select(c =>
            $"WorkerOptions.Classes has '{c}', which is not one of the grid's classes ({string.Join(", ", gridClasses)}; Queue:Classes).")]);
        ReserveThreads();
        if (await RegisterAsync(stop).ConfigureAwait(false) is not { } wakeups)
        {
            return;
        }

        _log.LogInformation("Worker {WorkerId} claims {Classes} on {Device}, {Concurrency} at a time", options.WorkerId, string.Join(",", _classes), device.Profile, options.Concurrency);

        await using var wakeupsScope = wakeups.ConfigureAwait(false);
        _pipeline = new CompletionPipeline(queue, results, history, _persist, options, metrics, AtBatchBoundary);
        await using var pipelineScope = _pipeline.ConfigureAwait(false);
        using var background = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var heartbeat = RepeatAsync(options.HeartbeatInterval, HeartbeatAsync, background.Token);
        var recovery = RepeatAsync(options.RecoveryInterval, () => queue.RecoverAsync(), background.Token);
        var scheduler = options.ScheduleInterval > TimeSpan.Zero ? RepeatAsync(options.ScheduleInterval, () => queue.RunDueSchedulesAsync(), background.Token) : Task.CompletedTask;
        var running = new List<Task>();
        using var slots = new SemaphoreSlim(options.Concurrency);
        try
        {
            await ClaimUntilStoppedAsync(slots, running, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await FinishOrHandBackAsync(running).ConfigureAwait(false);
        await background.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(heartbeat, recovery, scheduler).ConfigureAwait(false);
        await queue.DeregisterWorkerAsync(options.WorkerId).ConfigureAwait(false);
    }

    // Registers the worker in Redis and Postgres and subscribes to wake-ups; null when stopped
    // meanwhile (nothing claimed yet, so nothing to hand back).
    private async Task<IAsyncDisposable?> RegisterAsync(CancellationToken stop)
    {
        var profile = JsonSerializer.Serialize(device.Profile, ProfileJson);
        var registration = new WorkerRegistration(options.WorkerId, options.RegistrationTtl, new Dictionary<string, string>
        {
            ["classes"] = string.Join(",", _classes),
            ["device"] = device.Profile.ToString(),
            ["concurrency"] = options.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["backend"] = device.Profile.Backend.ToString(),
            ["ttlMs"] = ((long)options.RegistrationTtl.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            await _persist.ExecuteAsync(async _ => await queue.RegisterWorkerAsync(registration).ConfigureAwait(false), stop).ConfigureAwait(false);
            await _persist.ExecuteAsync(async ct => await machines.RegisterAsync(options.WorkerId, Environment.MachineName, profile, ct).ConfigureAwait(false), stop).ConfigureAwait(false);
            return await _persist.ExecuteAsync(async _ => await queue.SubscribeWakeAsync(Wake).ConfigureAwait(false), stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await queue.DeregisterWorkerAsync(options.WorkerId).ConfigureAwait(false);
            return null;
        }
    }

    // The claim loop: wait for free slots, claim that many, start each task; sleep while idle.
    private async Task ClaimUntilStoppedAsync(SemaphoreSlim slots, List<Task> running, CancellationToken stop)
    {
        var idle = IdleStart;
        while (!stop.IsCancellationRequested)
        {
            var free = await FreeSlotsAsync(slots, stop).ConfigureAwait(false);

            // Taken before the claim: work queued during or after it ends the idle wait below.
            var woken = Volatile.Read(ref _wake).Task;
            var claimStarted = _time.GetUtcNow();
            ClaimBatch batch;
            try
            {
                batch = await queue.ClaimBatchAsync(options.WorkerId, _classes, free, options.Lease).ConfigureAwait(false);
            }
            catch (GridUnavailableException)
            {
                // Redis is away: give the slots back and try again after the longest idle wait.
                slots.Release(free);
                await Task.Delay(options.IdlePoll, _time, stop).ConfigureAwait(false);
                continue;
            }

            var claimed = batch.Tasks;
            if (claimed.Count < free)
            {
                slots.Release(free - claimed.Count);
            }

            if (claimed.Count == 0)
            {
                idle = await IdleAsync(idle, batch.NextDelayedDueIn, woken, stop).ConfigureAwait(false);
                continue;
            }

            idle = IdleStart;
            RecordClaimed(claimed);
            var claimSpan = WorkerTracing.Claimed(claimed, options.WorkerId, claimStarted, _time.GetUtcNow());

            // One lookup for the batch's tasks that may have run before: a task whose result an
            // earlier attempt already made durable (its worker died before completing it in
            // Redis, or Redis forgot that claim) is completed, not run again. First runs need no
            // look. A stop gives it the grace period, not less: claimed tasks are this worker's
            // until they run, or the graceful stop hands them back with their attempts recorded.
            var durable = await DurableResultsAsync([.. claimed.Where(t => !t.FirstRun)], stop).ConfigureAwait(false);
            foreach (var task in claimed)
            {
                running.Add(RunOneAsync(task, slots, durable.GetValueOrDefault(task.Id), claimSpan));
            }

            running.RemoveAll(t => t.IsCompleted);
        }
    }

    // At least one free slot, and as many more as are free now.
    private async Task<int> FreeSlotsAsync(SemaphoreSlim slots, CancellationToken stop)
    {
        await slots.WaitAsync(stop).ConfigureAwait(false);
        var free = 1 + Take(slots, options.Concurrency - 1);
        if (free < options.Concurrency / 4 && !_inFlight.IsEmpty)
        {
            // Slots come back one by one as results are queued: a moment's wait gathers
            // them, so one claim (and one durable lookup) serves many tasks, not one.
            await Task.Delay(TimeSpan.FromMilliseconds(1), _time, stop).ConfigureAwait(false);
            free += Take(slots, options.Concurrency - free);
        }

        return free;
    }

    // Idle: back off (doubling up to IdlePoll), but wake when work is queued or the earliest
    // delayed task is due, so it starts on time. Returns the next wait.
    private async Task<TimeSpan> IdleAsync(TimeSpan idle, TimeSpan? nextDelayedDueIn, Task woken, CancellationToken stop)
    {
        var wait = nextDelayedDueIn is { } due && due < idle ? due + TimeSpan.FromMilliseconds(1) : idle;
        using (var sleeping = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            await Task.WhenAny(Task.Delay(wait, _time, sleeping.Token), woken).ConfigureAwait(false);
            await sleeping.CancelAsync().ConfigureAwait(false);
        }

        stop.ThrowIfCancellationRequested();
        return woken.IsCompleted ? IdleStart : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.IdlePoll.Ticks));
    }

    private void RecordClaimed(IReadOnlyList<ClaimedTask> claimed)
    {
        if (metrics is null)
        {
            return;
        }

        metrics.Claimed(claimed.Count);
        var now = _time.GetUtcNow();
        foreach (var task in claimed.Where(t => t.Attempt == 1))
        {
            metrics.QueueWaited(task.Class, (now - task.SubmittedAt).TotalSeconds);
        }
    }

    // Graceful stop: in-flight tasks get the grace period, then are cancelled and handed back.
    private async Task FinishOrHandBackAsync(List<Task> running)
    {
        using var grace = new CancellationTokenSource(options.GracePeriod, _time);
        try
        {
            await Task.WhenAll(running).WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            foreach (var held in _inFlight.Values)
            {
                await held.Cancel.CancelAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    // A Postgres that stays away past the outage patience must not stop the claim loop: the tasks
    // then run (their result writes wait out the outage in turn, fenced as always). A stop gives
    // the lookup the grace period, no more; the tasks then start and the graceful stop hands them
    // back, recorded.
    private async Task<IReadOnlyDictionary<string, DurableResult>> DurableResultsAsync(IReadOnlyList<ClaimedTask> claimed, CancellationToken stop)
    {
        if (claimed.Count == 0)
        {
            return NoneDurable;
        }

        using var patience = new CancellationTokenSource();
        using var onStop = stop.Register(() => patience.CancelAfter(options.GracePeriod));
        try
        {
            return await _persist.ExecuteAsync(async ct => await results.DurableAsync([.. claimed.Select(t => t.Id)], options.InlineResultBytes, ct).ConfigureAwait(false), patience.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Resilience.IsTransient(e) || (e is OperationCanceledException && patience.IsCancellationRequested))
        {
            _log.LogWarning("Could not look up durable results for {Count} claimed tasks, running them: {Reason}", claimed.Count, e.Message);
            return NoneDurable;
        }
    }

    private static readonly IReadOnlyDictionary<string, DurableResult> NoneDurable = new Dictionary<string, DurableResult>();

    private static int Take(SemaphoreSlim slots, int most)
    {
        var taken = 0;
        while (taken < most && slots.Wait(0))
        {
            taken++;
        }

        return taken;
    }

    private void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    // Kernels keep every core busy through the thread pool. Heartbeats, recovery and Redis
    // continuations must not queue behind them until the pool injects threads (about one per
    // second): with enough threads at hand the OS time-slices them in at once, and leases hold.
    private void ReserveThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = (Environment.ProcessorCount * (options.Concurrency + 2)) + 8;
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, io);
        }
    }

    private async Task RunOneAsync(ClaimedTask task, SemaphoreSlim slots, DurableResult? durable, ActivityContext claimSpan)
    {
        // The attempt's span continues the submission's trace; its run and persistence are under it.
        using var span = WorkerTracing.StartAttempt(task, device.Profile.Name, claimSpan);
        using var cancel = new CancellationTokenSource();
        var held = new Held(task, cancel);
        _inFlight[task.Id] = held;
        metrics?.InFlight(1);
        var started = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        // The run slot goes back once the result is queued for its batch (or the attempt ended
        // otherwise); the task stays in flight, its lease renewed, until Redis has it completed.
        var released = 0;
        void ReleaseSlot()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }

        try
        {
            await ProcessAsync(held, durable, started, clock, ReleaseSlot, cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            ReleaseSlot();
            _inFlight.TryRemove(task.Id, out _);
            metrics?.InFlight(-1);
        }
    }

    private async Task ProcessAsync(Held held, DurableResult? durable, DateTimeOffset started, Stopwatch clock, Action releaseSlot, CancellationToken cancel)
    {
        var task = held.Task;
        // Every log line of the task carries its id and the submitter's correlation id.
        using var scope = _log.BeginScope(new TaskLogScope(task));

        // The same task only if the history's submission time is this task's too: ids are issued
        // without Redis and never repeat, and this check costs nothing more.
        if (durable is { } d && d.Kind == task.Kind && d.SubmittedAt == task.SubmittedAt)
        {
            await CompleteFromDurableAsync(task, d, started).ConfigureAwait(false);
            return;
        }

        var maxRunTime = options.MaxRunTimeOf(task.Kind);
        using var deadline = new CancellationTokenSource(maxRunTime, _time);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        try
        {
            var result = await RunHandlerAsync(held, run.Token).ConfigureAwait(false);
            await PersistAsync(task, result, started, clock, releaseSlot).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            var reason = $"ran longer than its maximum run time of {maxRunTime} (Worker:MaxRunTime, or Worker:MaxRunTimeByKind:{task.Kind}); it was stopped and is not retried";
            _log.LogWarning("Task {TaskId} stopped: {Reason}", task.Id, reason);
            await FailedAsync(new TaskFailure(task, reason, Retryable: false), started, clock, releaseSlot).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Cancelled by request (it ends cancelled) or by shutdown (it goes back to its queue).
            var outcome = (await queue.ReleaseAsync([task]).ConfigureAwait(false))[0];
            await FinishedAsync(task, outcome == ReleaseOutcome.Cancelled ? "cancelled" : "released", null, started, clock).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            await FinishedAsync(task, "lease-lost", "the lease expired and the task was recovered elsewhere", started, clock).ConfigureAwait(false);
        }
        catch (Exception e) when (JobInputException.ReasonFor(e) is { } reason)
        {
            _log.LogWarning("Task {TaskId} cannot run and goes to the dead-letter queue: {Reason}", task.Id, reason);
            await FailedAsync(new TaskFailure(task, reason, Retryable: false), started, clock, releaseSlot).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = $"{e.GetType().Name}: {e.Message}";
            _log.LogError(e, "Task {TaskId} failed: {Reason}", task.Id, reason);
            await FailedAsync(new TaskFailure(task, reason, Retryable: !(e is NflComputeException { IsTransient: false })), started, clock, releaseSlot).ConfigureAwait(false);
        }
    }

    // The kernels see the token and stop within a chunk; WaitAsync hands a cancelled or
    // shut-down task back at once even so (the abandoned run's result is discarded).
    private async Task<string> RunHandlerAsync(Held held, CancellationToken run)
    {
        var task = held.Task;
        using var step = GridTracing.Worker.StartStep("run " + task.Kind);
        var context = new JobContext(task, device, datasets, run)
        {
            Limits = _limits,
            Metrics = metrics,
            Progress = held,
            FailedParentsReader = () => FailedParentsOf(task.Id),
            ParentResultsReader = () => ParentResultsOf(task.Id, run),
        };
        return await Task.Run(() => handlers.Resolve(task.Kind).RunAsync(context), run).WaitAsync(run).ConfigureAwait(false);
    }

    // Result and history go to Postgres in the pipeline's next batch, then Redis completes the
    // batch; each step waits out an outage rather than redo the work. The slot is free once the
    // result is queued.
    private async Task PersistAsync(ClaimedTask task, string result, DateTimeOffset started, Stopwatch clock, Action releaseSlot)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        var (cpu, gpu) = DeviceSeconds(seconds);
        var attempt = new CompletedAttempt(StartOf(task, started), _time.GetUtcNow(), result, cpu, gpu);
        var inline = Encoding.UTF8.GetByteCount(result) <= options.InlineResultBytes ? result : "";
        bool accepted;
        using (GridTracing.Worker.StartStep("persist"))
        {
            var completed = await _pipeline!.EnqueueAsync(task, attempt, inline).ConfigureAwait(false);
            releaseSlot();
            accepted = await completed.ConfigureAwait(false);
        }

        if (accepted)
        {
            CountAttempt(task, "completed", seconds);
            LogCompleted(_log, task.Id, seconds, device.Profile.Name);
        }
    }

    private async Task CompleteFromDurableAsync(ClaimedTask task, DurableResult durable, DateTimeOffset started)
    {
        try
        {
            await _persist.ExecuteAsync(async ct => await history.AttemptFoundDurableAsync(StartOf(task, started), _time.GetUtcNow(), ct).ConfigureAwait(false)).ConfigureAwait(false);
            await _persist.ExecuteAsync(async _ => await queue.CompleteAsync(task, durable.InlineJson ?? "").ConfigureAwait(false)).ConfigureAwait(false);
            metrics?.AttemptFoundDurable(task.Kind);
            _log.LogInformation("Task {TaskId} completed without running: attempt {Attempt} found its result already durable", task.Id, task.Attempt);
        }
        catch (LeaseLostException)
        {
            // Recovered elsewhere meanwhile: whoever holds it now finds the same result.
        }
    }

    // A failed attempt goes through the pipeline with the results: Redis decides retry or dead
    // letter for the batch in one call, then the attempts are recorded in one transaction.
    private async Task FailedAsync(TaskFailure failure, DateTimeOffset started, Stopwatch clock, Action releaseSlot)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        var (cpu, gpu) = DeviceSeconds(seconds);
        var attempt = new EndedAttempt(StartOf(failure.Task, started), "failed", failure.Error, cpu, gpu, _time.GetUtcNow());
        Activity.Current?.SetStatus(ActivityStatusCode.Error, failure.Error);
        var outcome = await _pipeline!.EnqueueFailureAsync(failure with { AttemptSpan = GridTracing.CurrentTraceParent() }, attempt).ConfigureAwait(false);
        releaseSlot();
        CountAttempt(failure.Task, CompletionPipeline.StatusOf(await outcome.ConfigureAwait(false)), seconds);
    }

    // An attempt that ended without a result otherwise (cancelled, released, lease lost): recorded
    // on its own, started and finished.
    private async Task FinishedAsync(ClaimedTask task, string status, string? error, DateTimeOffset started, Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        CountAttempt(task, status, seconds);
        var (cpu, gpu) = DeviceSeconds(seconds);
        var finished = _time.GetUtcNow();
        await _persist.ExecuteAsync(async ct => await history.AttemptsEndedAsync([new EndedAttempt(StartOf(task, started), status, error, cpu, gpu, finished)], ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    // Device seconds: the wall time of the attempt, on the CPU or the GPU it ran on.
    private (double Cpu, double Gpu) DeviceSeconds(double seconds) => device.Profile.IsGpu ? (0, seconds) : (seconds, 0);

    private void CountAttempt(ClaimedTask task, string outcome, double seconds)
    {
        metrics?.AttemptEnded(task.Kind, outcome, device.Profile.Backend.ToString(), seconds);
    }

    private TaskAttemptStart StartOf(ClaimedTask task, DateTimeOffset started) =>
        new(KeyOf(task), task.Kind, task.Class, task.Priority, task.CorrelationId, task.SubmittedAt, started, options.WorkerId, device.Profile.Name, GridTracing.TraceIdOf(task.TraceParent));

    private async Task<IReadOnlyList<FailedParent>> FailedParentsOf(string id) =>
        (await queue.GetAsync(id).ConfigureAwait(false))?.FailedParents ?? [];

    private async Task<IReadOnlyList<ParentResult>> ParentResultsOf(string id, CancellationToken cancellationToken)
    {
        var found = new List<ParentResult>();
        foreach (var parent in (await queue.GetAsync(id).ConfigureAwait(false))?.Parents ?? [])
        {
            if (await results.ReadAsync(parent, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                found.Add(new ParentResult(parent, stored.ResultJson));
            }
        }

        return found;
    }

    private static AttemptKey KeyOf(ClaimedTask task) => new(task.Id, task.Attempt, task.FencingToken);

    private async Task HeartbeatAsync()
    {
        // Each task's progress rides along where it changed since the last heartbeat.
        var held = _inFlight.Values.Select(h => (h.Task, h.TakeNewProgress())).ToList();
        var reply = await queue.HeartbeatWithProgressAsync(options.WorkerId, held, options.Lease, options.RegistrationTtl).ConfigureAwait(false);
        metrics?.HeartbeatSent();
        foreach (var id in reply.CancelRequested.Concat(reply.Lost))
        {
            if (_inFlight.TryGetValue(id, out var entry))
            {
                await entry.Cancel.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task RepeatAsync(TimeSpan interval, Func<Task> action, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await action().ConfigureAwait(false);
                }
                catch (GridUnavailableException)
                {
                    // Redis is away; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    // Source-generated: nothing is formatted or boxed unless Information is enabled.
    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} completed in {Seconds:F3} s on {Device}")]
    private static partial void LogCompleted(ILogger logger, string taskId, double seconds, string device);

    private static readonly JsonSerializerOptions ProfileJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    // A task this worker holds: its claim, its cancellation, and its handler's progress (the
    // latest report, sent with the next heartbeat when it changed).
    private sealed class Held(ClaimedTask task, CancellationTokenSource cancel) : IProgress<JobProgress>
    {
        private JobProgress? _latest;
        private JobProgress? _sent;

        public ClaimedTask Task { get; } = task;

        public CancellationTokenSource Cancel { get; } = cancel;

        public void Report(JobProgress value) => Volatile.Write(ref _latest, value);

        // The progress to send now: the latest report if it is not the one sent last, else null.
        public JobProgress? TakeNewProgress()
        {
            var latest = Volatile.Read(ref _latest);
            if (latest is null || latest == _sent)
            {
                return null;
            }

            _sent = latest;
            return latest;
        }
    }
}
