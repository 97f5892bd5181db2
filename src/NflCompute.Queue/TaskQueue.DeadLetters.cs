using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>Up to <paramref name="count"/> of the tasks running now, the soonest lease deadline first. One round trip.</summary>
    public async Task<RunningTasks> ListRunningAsync(int count = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var r = await ReplyAsync(QueueScript.Running, new ScriptArgs(1).Add(count)).ConfigureAwait(false);
        var total = r.Long("running");
        var items = new List<RunningTask>();
        while (r.More)
        {
            items.Add(new RunningTask(r.String("id"), r.String("kind"), r.String("class"), r.String("worker"), (int)r.Long("attempt"), FromMs(r.Long("claimed")), FromMs(r.Long("lease deadline")))
            {
                Progress = JobProgress.Decode(r.String("progress")),
            });
        }

        return new RunningTasks(total, items);
    }

    /// <summary>A page of the dead-letter queue, newest first, with each task's error. One round trip.</summary>
    public async Task<DeadLetterPage> ListDeadLettersAsync(int offset = 0, int count = 50)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var r = await ReplyAsync(QueueScript.DlqList, new ScriptArgs(2).Add(offset).Add(count)).ConfigureAwait(false);
        var total = r.Long("dead letters");
        var items = new List<DeadLetter>();
        while (r.More)
        {
            items.Add(new DeadLetter(r.String("id"), r.String("kind"), r.String("class"), (int)r.Long("attempts"), FromMs(r.Long("failed")), r.String("error")));
        }

        return new DeadLetterPage(total, items);
    }

    /// <summary>Puts a failed task back in its queue with a fresh count of attempts and stalls.</summary>
    /// <exception cref="TaskNotFoundException">No such task.</exception>
    /// <exception cref="InvalidTaskStateException">The task is not in the DLQ.</exception>
    public async Task RequeueDeadLetterAsync(string id)
    {
        TaskIds.ThrowIfInvalid(id, nameof(id));
        var code = (ResultCode)(await _redis.EvaluateAsync(QueueScript.DlqRequeue, _gridKeys, new ScriptArgs(2).Add(Now).Add(id)).ConfigureAwait(false)).AsArray()[0].AsLong();
        if (code is ResultCode.Ok or ResultCode.NotFound)
        {
            if (QueueErrors.ForTask(code, id) is { } missing)
            {
                throw missing;
            }

            return;
        }

        // The task is there but not in the DLQ: say which state it is in.
        var state = (await GetAsync(id).ConfigureAwait(false))?.State;
        throw QueueErrors.ForTask(state is { } s ? ResultCode.WrongState : ResultCode.NotFound, id, state: state ?? default, operation: "requeue it from the dead-letter queue")!;
    }

    /// <summary>Requeues up to <paramref name="max"/> of the oldest failed tasks. Returns how many.</summary>
    public async Task<int> RequeueAllDeadLettersAsync(int max = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var args = new ScriptArgs(3).Add(Now).Add("*").Add(max);
        return (int)(await _redis.EvaluateAsync(QueueScript.DlqRequeue, _gridKeys, args).ConfigureAwait(false)).AsLong();
    }

    /// <summary>
    /// Deletes failed tasks for good, oldest first: those that failed before
    /// <paramref name="failedBefore"/> (all when null), at most <paramref name="max"/>. Returns how many.
    /// </summary>
    public async Task<int> PurgeDeadLettersAsync(DateTimeOffset? failedBefore = null, int max = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var bound = failedBefore is { } t ? "(" + Int(t.ToUnixTimeMilliseconds()) : "+inf";
        return (int)(await _redis.EvaluateAsync(QueueScript.DlqPurge, _gridKeys, new ScriptArgs(3).Add(Now).Add(bound).Add(max)).ConfigureAwait(false)).AsLong();
    }
}
