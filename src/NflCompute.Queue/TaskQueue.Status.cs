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
        var (kind, correlation, traceParent, payload) = TaskBody.Unpack(Get("b") ?? "\n\n");
        var state = TaskStates.FromCode(Get("st")![0]);
        return new TaskInfo
        {
            Id = id,
            State = state,
            Kind = kind,
            Class = Get("c") ?? "",
            Priority = (int)Num("pr"),
            Payload = payload,
            Attempts = (int)Num("a"),
            Stalls = (int)Num("n"),
            Worker = Get("wk"),
            Error = Get("err"),
            Result = Get("r"),
            CorrelationId = correlation,
            Submitter = Get("_u"),
            TraceParent = traceParent,
            Progress = JobProgress.Decode(Get("pg")),
            SubmittedAt = FromMs(Num("s")),
            EligibleAt = FromMs(Get("e") is null ? Num("s") : Num("e")),
            FinishedAt = Get("fa") is null ? null : FromMs(Num("fa")),
            CancelRequested = Get("cx") is not null,
            FailedParents = FailedParent.Decode(Get("pf")),
            Parents = Get("pa") is { } parents ? parents.Split(',') : [],
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
        var r = (await _redis.EvaluateAsync(QueueScript.Overview, _gridKeys, new ScriptArgs(1).Add(Now)).ConfigureAwait(false)).AsArray();
        var at = 0;
        var classes = (int)r[at++].AsLong();
        var oldest = new Dictionary<string, DateTimeOffset?>(classes, StringComparer.Ordinal);
        var bySubmitter = new Dictionary<string, IReadOnlyDictionary<string, long>>(classes, StringComparer.Ordinal);
        for (var i = 0; i < classes; i++)
        {
            var name = r[at++].AsString();
            var e = r[at++].AsLong();
            oldest[name] = e < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(e);
            var queued = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var s = (int)r[at++].AsLong(); s > 0; s--)
            {
                queued[r[at++].AsString()] = r[at++].AsLong();
            }

            bySubmitter[name] = queued;
        }

        var workers = new List<LiveWorker>();
        for (var n = (int)r[at++].AsLong(); n > 0; n--)
        {
            var id = r[at++].AsString();
            var expires = DateTimeOffset.FromUnixTimeMilliseconds(r[at++].AsLong());
            var profile = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var k = (int)r[at++].AsLong(); k > 0; k--)
            {
                profile[r[at++].AsString()] = r[at++].AsString();
            }

            workers.Add(new LiveWorker(id, expires, profile));
        }

        return new QueueOverview(oldest, workers) { PendingBySubmitter = bySubmitter };
    }

    /// <summary>Task counts per class and state, workers and totals, in one round trip.</summary>
    public async Task<QueueCounts> GetCountsAsync()
    {
        var r = (await _redis.EvaluateAsync(QueueScript.Counts, _gridKeys, new ScriptArgs(0)).ConfigureAwait(false)).AsArray();
        var n = (int)r[0].AsLong();
        var pending = new Dictionary<string, long>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            pending[r[1 + i].AsString()] = r[1 + n + i].AsLong();
        }

        var at = 1 + (2 * n);
        // Then three lists of pairs: paused classes (since), limits ("<class>:c" / "<class>:r"),
        // and the running counts of concurrency-limited classes.
        var cursor = at + 8;
        List<(string Key, string Value)> Pairs()
        {
            var count = (int)r[cursor++].AsLong();
            var pairs = new List<(string, string)>(count);
            for (var i = 0; i < count; i++, cursor += 2)
            {
                pairs.Add((r[cursor].AsString(), r[cursor + 1].AsString()));
            }

            return pairs;
        }

        var paused = Pairs().ToDictionary(p => p.Key, p => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(p.Value, CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        var raw = Pairs().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var running = Pairs().ToDictionary(p => p.Key, p => long.Parse(p.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var limits = raw.Keys.Select(k => k[..k.LastIndexOf(':')]).Distinct(StringComparer.Ordinal).ToDictionary(
            c => c,
            c => new ClassLimits(
                raw.TryGetValue(c + ":c", out var most) ? int.Parse(most, CultureInfo.InvariantCulture) : null,
                RateLimit.Decode(raw.GetValueOrDefault(c + ":r")))
            { Running = running.TryGetValue(c, out var n) ? n : null },
            StringComparer.Ordinal);

        return new QueueCounts
        {
            Paused = paused,
            Limits = limits,
            PendingByClass = pending,
            Delayed = r[at].AsLong(),
            Running = r[at + 1].AsLong(),
            Waiting = r[at + 2].AsLong(),
            DeadLetters = r[at + 3].AsLong(),
            Workers = r[at + 4].AsLong(),
            CompletedTotal = r[at + 5].AsLong(),
            FailedTotal = r[at + 6].AsLong(),
            CancelledTotal = r[at + 7].AsLong(),
        };
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
        var r = (await _redis.EvaluateAsync(QueueScript.Recover, _gridKeys, args).ConfigureAwait(false)).AsArray();
        return new RecoveryReport((int)r[0].AsLong(), (int)r[1].AsLong(), (int)r[2].AsLong(), (int)r[3].AsLong(), (int)r[4].AsLong(), (int)r[5].AsLong(), (int)r[6].AsLong());
    }
}
