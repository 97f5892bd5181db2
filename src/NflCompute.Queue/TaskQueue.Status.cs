using System.Globalization;
using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>A task as it is now, or null when it does not exist (or its retention expired). One round trip.</summary>
    public async Task<TaskInfo?> GetAsync(string id)
    {
        TaskIds.ThrowIfInvalid(id, nameof(id));
        var reply = (await _redis.EvaluateAsync(QueueScript.Status, _gridKeys, new ScriptArgs(1).Add(id)).ConfigureAwait(false)).AsArray();
        if (reply.Length == 0)
        {
            return null;
        }

        var f = new Dictionary<string, string>(reply.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < reply.Length; i += 2)
        {
            f[reply[i].AsString()] = reply[i + 1].AsString();
        }

        string? Get(string name) => f.TryGetValue(name, out var v) ? v : null;
        long Num(string name) => Get(name) is { } v ? (long)double.Parse(v, CultureInfo.InvariantCulture) : 0;
        var (kind, correlation, traceParent, payload) = TaskBody.Unpack(Get(TaskFields.Body) ?? "\n\n");
        var state = TaskStates.FromCode(Get(TaskFields.State)![0]);
        return new TaskInfo
        {
            Id = id,
            State = state,
            Kind = kind,
            Class = Get(TaskFields.Class) ?? "",
            Priority = (int)Num(TaskFields.Priority),
            Payload = payload,
            Attempts = (int)Num(TaskFields.Attempts),
            Stalls = (int)Num(TaskFields.Stalls),
            Worker = Get(TaskFields.Worker),
            Error = Get(TaskFields.Error),
            Result = Get(TaskFields.Result),
            CorrelationId = correlation,
            Submitter = Get(TaskFields.SubmitterName),
            TraceParent = traceParent,
            Progress = JobProgress.Decode(Get(TaskFields.Progress)),
            SubmittedAt = FromMs(Num(TaskFields.Submitted)),
            EligibleAt = FromMs(Get(TaskFields.Eligible) is null ? Num(TaskFields.Submitted) : Num(TaskFields.Eligible)),
            FinishedAt = Get(TaskFields.Finished) is null ? null : FromMs(Num(TaskFields.Finished)),
            CancelRequested = Get(TaskFields.CancelRequested) is not null,
            FailedParents = FailedParent.Decode(Get(TaskFields.FailedParents)),
            Parents = Get(TaskFields.Parents) is { } parents ? parents.Split(',') : [],
        };
    }

    /// <summary>
    /// Cancels a task. Waiting, delayed and pending tasks end at once (their children follow their
    /// <see cref="ParentFailurePolicy"/>); for a running task the request is recorded and its worker
    /// learns it at its next heartbeat. Returns the state the task was in.
    /// </summary>
    /// <exception cref="TaskNotFoundException">No such task.</exception>
    /// <exception cref="InvalidTaskStateException">It already completed, failed or was cancelled.</exception>
    public async Task<TaskState> CancelAsync(string id, string reason = "cancelled by request")
    {
        TaskIds.ThrowIfInvalid(id, nameof(id));
        var reply = (await _redis.EvaluateAsync(QueueScript.Cancel, _gridKeys, new ScriptArgs(3).Add(Now).Add(id).Add(reason)).ConfigureAwait(false)).AsArray();
        var code = (ResultCode)reply[0].AsLong();
        var state = code == ResultCode.NotFound ? default : TaskStates.FromCode(reply[1].AsString()[0]);
        return code is ResultCode.NotFound or ResultCode.WrongState ? throw QueueErrors.ForTask(code, id, state: state, operation: "cancel it")! : state;
    }

    /// <summary>Each class's oldest pending task, its pending tasks per submitter, and the live workers with their profiles, in one round trip.</summary>
    public async Task<QueueOverview> GetOverviewAsync()
    {
        var r = await ReplyAsync(QueueScript.Overview, new ScriptArgs(1).Add(Now)).ConfigureAwait(false);
        var classes = r.Count("classes");
        var oldest = new Dictionary<string, DateTimeOffset?>(classes, StringComparer.Ordinal);
        var bySubmitter = new Dictionary<string, IReadOnlyDictionary<string, long>>(classes, StringComparer.Ordinal);
        for (var i = 0; i < classes; i++)
        {
            var name = r.String("class");
            oldest[name] = r.Time("oldest eligible");
            var queued = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var s = r.Count("submitters"); s > 0; s--)
            {
                queued[r.String("submitter")] = r.Long("pending");
            }

            bySubmitter[name] = queued;
        }

        var workers = new List<LiveWorker>();
        for (var n = r.Count("workers"); n > 0; n--)
        {
            var id = r.String("worker");
            var expires = DateTimeOffset.FromUnixTimeMilliseconds(r.Long("registration deadline"));
            workers.Add(new LiveWorker(id, expires, r.Pairs("profile").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)));
        }

        return new QueueOverview(oldest, workers) { PendingBySubmitter = bySubmitter };
    }

    /// <summary>Task counts per class and state, workers and totals, in one round trip.</summary>
    public async Task<QueueCounts> GetCountsAsync()
    {
        var r = await ReplyAsync(QueueScript.Counts, new ScriptArgs(0)).ConfigureAwait(false);
        var classes = new string[r.Count("classes")];
        for (var i = 0; i < classes.Length; i++)
        {
            classes[i] = r.String("class");
        }

        var pending = classes.ToDictionary(c => c, _ => r.Long("pending"), StringComparer.Ordinal);
        var counts = new QueueCounts
        {
            PendingByClass = pending,
            Delayed = r.Long("delayed"),
            Running = r.Long("running"),
            Waiting = r.Long("waiting"),
            DeadLetters = r.Long("dead letters"),
            Workers = r.Long("workers"),
            CompletedTotal = r.Long("completed total"),
            FailedTotal = r.Long("failed total"),
            CancelledTotal = r.Long("cancelled total"),
        };

        // Limits come as "<class>:c" / "<class>:r" pairs; running counts only for concurrency-limited classes.
        var paused = r.Pairs("paused").ToDictionary(p => p.Key, p => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(p.Value, CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        var raw = r.Pairs("limits").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var running = r.Pairs("running per class").ToDictionary(p => p.Key, p => long.Parse(p.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var limits = raw.Keys.Select(k => k[..k.LastIndexOf(':')]).Distinct(StringComparer.Ordinal).ToDictionary(
            c => c,
            c => new ClassLimits(
                raw.TryGetValue(c + ":c", out var most) ? int.Parse(most, CultureInfo.InvariantCulture) : null,
                RateLimit.Decode(raw.GetValueOrDefault(c + ":r")))
            { Running = running.TryGetValue(c, out var n) ? n : null },
            StringComparer.Ordinal);

        return counts with { Paused = paused, Limits = limits };
    }

    /// <summary>
    /// One bounded recovery pass: tasks of workers whose registration lapsed and tasks whose lease
    /// expired go back to pending (or to the DLQ past the stall limit); due delayed tasks are
    /// promoted; completed tasks past <see cref="QueueOptions.CompletedRetention"/> or beyond
    /// <see cref="QueueOptions.CompletedMaxCount"/> (oldest first), and dead letters past
    /// <see cref="QueueOptions.DeadLetterRetention"/>, are deleted.
    /// Safe to run from every worker at once; O(log n + k).
    /// </summary>
    public async Task<RecoveryReport> RecoverAsync()
    {
        var args = new ScriptArgs(2).Add(Now).Add(Options.RecoveryBatchSize);
        var r = await ReplyAsync(QueueScript.Recover, args).ConfigureAwait(false);
        return new RecoveryReport(r.Count("workers removed"), r.Count("requeued"), r.Count("failed"), r.Count("cancelled"), r.Count("promoted"), r.Count("expired"), r.Count("dead letters expired"));
    }
}
