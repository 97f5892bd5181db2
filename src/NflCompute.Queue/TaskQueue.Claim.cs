using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>Most delayed tasks a claim promotes on its way, so due retries run without waiting for a recovery pass.</summary>
    private const int PromoteOnClaim = 256;

    /// <summary>
    /// Claims up to <paramref name="maxTasks"/> of the best pending tasks, trying
    /// <paramref name="classes"/> in order (most demanding first). Each claimed task is on the
    /// worker's processing list under a lease of <paramref name="lease"/>, with a fresh fencing token.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedTask>> ClaimAsync(string workerId, IReadOnlyList<string> classes, int maxTasks, TimeSpan lease) =>
        (await ClaimBatchAsync(workerId, classes, maxTasks, lease).ConfigureAwait(false)).Tasks;

    /// <summary>
    /// <see cref="ClaimAsync"/>, and how long until the earliest delayed task is due: a worker that
    /// got nothing sleeps no longer than that, so a delayed task or a retry starts on time.
    /// </summary>
    public async Task<ClaimBatch> ClaimBatchAsync(string workerId, IReadOnlyList<string> classes, int maxTasks, TimeSpan lease)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTasks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.FromMilliseconds(1));
        ThrowIfUnknownClasses(classes);
        // The claim's secret: its tokens' low half, so nobody who was not handed the claim can
        // present one (status never returns them, Redis keeps only their hashes).
        var nonce = BitConverter.ToUInt32(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var args = new ScriptArgs(6 + classes.Count).Add(Now).Add(workerId).Add((long)lease.TotalMilliseconds).Add(maxTasks).Add(PromoteOnClaim).Add(nonce);
        foreach (var c in classes)
        {
            args.Add(c);
        }

        var r = await ReplyAsync(QueueScript.Claim, args).ConfigureAwait(false);
        // Six items per task, then when the next delayed task is due (ms from now; -1: none).
        var tasks = new ClaimedTask[(r.Remaining - 1) / 6];
        for (var i = 0; i < tasks.Length; i++)
        {
            var entry = r.String("queue entry").AsSpan(); // "<id> <attempts before> <body>"
            var body = entry[(entry[(TaskIds.Length + 1)..].IndexOf(' ') + TaskIds.Length + 2)..];
            var (kind, correlation, traceParent, payload) = TaskBody.Unpack(body);
            var token = r.Long("fencing token");
            tasks[i] = new ClaimedTask(entry[..TaskIds.Length].ToString(), token, ClaimedTask.AttemptOf(token), kind, payload, correlation, workerId)
            {
                Class = r.String("class"),
                Priority = (int)r.Long("priority"),
                FirstRun = r.Long("first run") == 1,
                TraceParent = traceParent,
                PreviousAttempt = r.String("previous attempt's span") is { Length: > 0 } previous ? previous : null,
            };
        }

        var dueInMs = r.Long("next due in ms");
        return new ClaimBatch(tasks, dueInMs < 0 ? null : TimeSpan.FromMilliseconds(dueInMs));
    }

    private void ThrowIfUnknownClasses(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new ArgumentException("A worker must claim from at least one class.", nameof(classes));
        }

        foreach (var c in classes)
        {
            if (!Options.Classes.Contains(c))
            {
                throw new ArgumentException($"Unknown class '{c}'; this grid has {string.Join(", ", Options.Classes)}.", nameof(classes));
            }
        }
    }

    /// <summary>
    /// Extends the leases of the tasks the worker holds and renews its registration; reports tasks
    /// whose cancellation was requested and tasks it no longer holds.
    /// </summary>
    public Task<HeartbeatReply> HeartbeatAsync(string workerId, IReadOnlyCollection<ClaimedTask> held, TimeSpan lease, TimeSpan registrationTtl) =>
        HeartbeatWithProgressAsync(workerId, [.. held.Select(t => (t, (JobProgress?)null))], lease, registrationTtl);

    /// <summary>
    /// <see cref="HeartbeatAsync(string, IReadOnlyCollection{ClaimedTask}, TimeSpan, TimeSpan)"/>, carrying
    /// each task's progress where it changed since the last heartbeat (null: unchanged), so
    /// progress costs no round trip of its own.
    /// </summary>
    public async Task<HeartbeatReply> HeartbeatWithProgressAsync(string workerId, IReadOnlyCollection<(ClaimedTask Task, JobProgress? Progress)> held, TimeSpan lease, TimeSpan registrationTtl)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentNullException.ThrowIfNull(held);
        var args = new ScriptArgs(4 + (3 * held.Count))
            .Add(Now).Add(workerId).Add((long)lease.TotalMilliseconds).Add((long)registrationTtl.TotalMilliseconds);
        foreach (var (t, progress) in held)
        {
            args.Add(t.Id).Add(t.FencingToken).Add(progress?.Encode() ?? "");
        }

        var r = await ReplyAsync(QueueScript.Heartbeat, args).ConfigureAwait(false);
        List<string> cancel = [], lost = [];
        while (r.More)
        {
            var id = r.String("id");
            ((ResultCode)r.Long("result code") == ResultCode.CancelRequested ? cancel : lost).Add(id);
        }

        return new HeartbeatReply(cancel, lost);
    }

    /// <summary>Completes one task with its result.</summary>
    /// <exception cref="LeaseLostException">The worker no longer holds the task; the result is discarded.</exception>
    /// <exception cref="TaskNotFoundException">The task no longer exists.</exception>
    public async Task CompleteAsync(ClaimedTask task, string result)
    {
        var code = (await CompleteBatchAsync([(task, result)]).ConfigureAwait(false))[0];
        ThrowIfNotOk(code, task);
    }

    /// <summary>
    /// Completes many tasks of one worker in one round trip. Each is fenced on its own: the
    /// returned flags say which were accepted (false = lease lost or task gone; that result was
    /// discarded).
    /// </summary>
    public async Task<bool[]> CompleteManyAsync(IReadOnlyList<(ClaimedTask Task, string Result)> completions)
    {
        var codes = await CompleteBatchAsync(completions).ConfigureAwait(false);
        return Array.ConvertAll(codes, c => c == ResultCode.Ok);
    }

    private async Task<ResultCode[]> CompleteBatchAsync(IReadOnlyList<(ClaimedTask Task, string Result)> completions)
    {
        ArgumentOutOfRangeException.ThrowIfZero(completions.Count);
        var worker = completions[0].Task.WorkerId;
        var args = new ScriptArgs(2 + (3 * completions.Count)).Add(Now).Add(worker);
        foreach (var (task, result) in completions)
        {
            if (task.WorkerId != worker)
            {
                throw new ArgumentException($"One batch completes the tasks of one worker; task {task.Id} belongs to {task.WorkerId}, not {worker}.", nameof(completions));
            }

            args.Add(task.Id).Add(task.FencingToken).Add(result ?? "");
        }

        var reply = (await _redis.EvaluateAsync(QueueScript.Complete, _gridKeys, args, replicated: true).ConfigureAwait(false)).AsArray();
        return Array.ConvertAll(reply, r => (ResultCode)r.AsLong());
    }

    /// <summary>Reports a failed attempt: retried after backoff, or to the DLQ when not retryable or out of attempts.</summary>
    /// <exception cref="LeaseLostException">The worker no longer holds the task; nothing changed.</exception>
    public async Task<FailOutcome> FailAsync(TaskFailure failure)
    {
        var outcome = (await FailManyAsync([failure]).ConfigureAwait(false))[0];
        if (outcome.Kind == FailOutcomeKind.LeaseLost)
        {
            throw new LeaseLostException(failure.Task.Id, failure.Task.FencingToken);
        }

        return outcome.Kind == FailOutcomeKind.NotFound ? throw new TaskNotFoundException(failure.Task.Id) : outcome;
    }

    /// <summary>Reports many failed attempts in one round trip, each fenced on its own.</summary>
    public async Task<FailOutcome[]> FailManyAsync(IReadOnlyList<TaskFailure> failures)
    {
        var args = new ScriptArgs(1 + (6 * failures.Count)).Add(Now);
        foreach (var f in failures)
        {
            args.Add(f.Task.Id).Add(f.Task.FencingToken).Add(f.Error ?? "").Add(f.Retryable ? "1" : "0").Add(_jitter()).Add(f.AttemptSpan ?? "");
        }

        var r = await ReplyAsync(QueueScript.Fail, args).ConfigureAwait(false);
        var outcomes = new FailOutcome[failures.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var (code, due) = ((ResultCode)r.Long("result code"), r.Long("retry due"));
            outcomes[i] = code switch
            {
                ResultCode.RetryScheduled => new FailOutcome(FailOutcomeKind.RetryScheduled, FromMs(due)),
                ResultCode.Failed => new FailOutcome(FailOutcomeKind.Failed, null),
                ResultCode.Cancelled => new FailOutcome(FailOutcomeKind.Cancelled, null),
                ResultCode.StaleLease => new FailOutcome(FailOutcomeKind.LeaseLost, null),
                _ => new FailOutcome(FailOutcomeKind.NotFound, null),
            };
        }

        return outcomes;
    }

    /// <summary>Hands tasks back unrun (graceful shutdown): they keep their place and the attempt does not count.</summary>
    public async Task<ReleaseOutcome[]> ReleaseAsync(IReadOnlyList<ClaimedTask> tasks)
    {
        var args = new ScriptArgs(1 + (2 * tasks.Count)).Add(Now);
        foreach (var t in tasks)
        {
            args.Add(t.Id).Add(t.FencingToken);
        }

        var reply = (await _redis.EvaluateAsync(QueueScript.Release, _gridKeys, args).ConfigureAwait(false)).AsArray();
        return Array.ConvertAll(reply, r => (ResultCode)r.AsLong() switch
        {
            ResultCode.Ok => ReleaseOutcome.Requeued,
            ResultCode.Cancelled => ReleaseOutcome.Cancelled,
            ResultCode.StaleLease => ReleaseOutcome.LeaseLost,
            _ => ReleaseOutcome.NotFound,
        });
    }

    /// <summary>Registers (or re-registers) a worker; its heartbeats keep the registration alive.</summary>
    public async Task RegisterWorkerAsync(WorkerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrEmpty(registration.WorkerId);
        var args = new ScriptArgs(3 + (2 * registration.Profile.Count))
            .Add(Now).Add(registration.WorkerId).Add((long)registration.Ttl.TotalMilliseconds);
        foreach (var (name, value) in registration.Profile)
        {
            args.Add(name).Add(value);
        }

        await _redis.EvaluateAsync(QueueScript.RegisterWorker, _gridKeys, args).ConfigureAwait(false);
    }

    /// <summary>Removes a worker; tasks it still holds are recovered at once. Returns how many it held.</summary>
    public async Task<int> DeregisterWorkerAsync(string workerId)
    {
        var args = new ScriptArgs(2).Add(Now).Add(workerId);
        return (int)(await _redis.EvaluateAsync(QueueScript.DeregisterWorker, _gridKeys, args).ConfigureAwait(false)).AsLong();
    }

    private static void ThrowIfNotOk(ResultCode code, ClaimedTask task)
    {
        if (QueueErrors.ForTask(code, task.Id, task.FencingToken) is { } error)
        {
            throw error;
        }
    }
}
