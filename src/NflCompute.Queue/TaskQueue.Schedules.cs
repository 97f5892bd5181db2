using System.Globalization;
using System.Text.Json;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>
    /// Adds a recurring schedule, or replaces the one of that name; its first tick is the first
    /// after now.
    /// </summary>
    /// <exception cref="ArgumentException">The definition cannot be scheduled; every problem is named.</exception>
    public async Task PutScheduleAsync(ScheduleDefinition schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems) + ".", nameof(schedule));
        }

        ThrowIfUnknownClasses([schedule.Class]);
        var next = schedule.NextAfter(DateTimeOffset.FromUnixTimeMilliseconds(Now));
        await _redis.EvaluateAsync(QueueScript.SchedulePut, _gridKeys, new ScriptArgs(3).Add(schedule.Name).Add(JsonSerializer.Serialize(schedule)).Add(next.ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }

    /// <summary>Every schedule, by name.</summary>
    public async Task<IReadOnlyList<ScheduleState>> ListSchedulesAsync() => await ReadSchedulesAsync("").ConfigureAwait(false);

    /// <summary>One schedule, or null.</summary>
    public async Task<ScheduleState?> GetScheduleAsync(string name) => (await ReadSchedulesAsync(name).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Pauses a schedule: no tick fires until it is resumed (the ticks in between are skipped).</summary>
    /// <exception cref="Core.Errors.TaskNotFoundException">No such schedule.</exception>
    public Task PauseScheduleAsync(string name) => DropScheduleAsync(name, "pause");

    /// <summary>Removes a schedule; tasks it submitted stay.</summary>
    /// <exception cref="Core.Errors.TaskNotFoundException">No such schedule.</exception>
    public Task RemoveScheduleAsync(string name) => DropScheduleAsync(name, "remove");

    /// <summary>Resumes a paused schedule from its next tick after now.</summary>
    /// <exception cref="Core.Errors.TaskNotFoundException">No such schedule.</exception>
    public async Task ResumeScheduleAsync(string name)
    {
        var state = await GetScheduleAsync(name).ConfigureAwait(false) ?? throw QueueErrors.ScheduleNotFound(name);
        var next = state.Definition.NextAfter(DateTimeOffset.FromUnixTimeMilliseconds(Now));
        await _redis.EvaluateAsync(QueueScript.SchedulePut, _gridKeys, new ScriptArgs(3).Add(name).Add("").Add(next.ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }

    /// <summary>Submits a schedule's job (and its <see cref="ScheduleDefinition.Then"/> chain) now, outside its ticks; returns the id of the last task, the one that ends the chain.</summary>
    /// <exception cref="Core.Errors.TaskNotFoundException">No such schedule.</exception>
    public async Task<string> TriggerScheduleAsync(string name)
    {
        var state = await GetScheduleAsync(name).ConfigureAwait(false) ?? throw QueueErrors.ScheduleNotFound(name);
        return (await SubmitBatchAsync([.. TickTasks(state.Definition, "manual:" + Now.ToString(CultureInfo.InvariantCulture), 0)]).ConfigureAwait(false))[^1].Id;
    }

    /// <summary>
    /// One scheduler pass: for each schedule due, submits its task for the ticks due (as its
    /// <see cref="ScheduleDefinition.Missed"/> says), each under an idempotency key of the
    /// schedule and the tick, then advances it past them if no other scheduler did first. Safe to
    /// run from every worker at once: each tick submits one task. Returns the tasks this pass created.
    /// </summary>
    public async Task<int> RunDueSchedulesAsync()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(Now);
        var created = 0;
        foreach (var s in await ListSchedulesAsync().ConfigureAwait(false))
        {
            if (s.Paused || s.NextTick is not { } due || due > now)
            {
                continue;
            }

            // RunAll drains a long outage a thousand ticks per pass; the others look at the latest
            // tick only (found without a bound), and move on to the first after now.
            List<DateTimeOffset> fire;
            DateTimeOffset next;
            if (s.Definition.Missed == MissedTicks.RunAll)
            {
                fire = [.. s.Definition.Ticks(due, now)];
                next = s.Definition.NextAfter(fire.Count > 0 ? fire[^1] : now);
            }
            else
            {
                var latest = s.Definition.Ticks(due, now, most: int.MaxValue).LastOrDefault();
                fire = latest == default || (s.Definition.Missed == MissedTicks.Skip && now - latest > ScheduleDefinition.SkipGrace) ? [] : [latest];
                next = s.Definition.NextAfter(now);
            }

            if (fire.Count > 0)
            {
                try
                {
                    var chain = 1 + s.Definition.Then.Count;
                    var results = await SubmitBatchAsync([.. fire.SelectMany((t, i) => TickTasks(s.Definition, t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), i * chain))]).ConfigureAwait(false);
                    created += results.Count(r => !r.Duplicate);
                }
                catch (Core.Errors.TaskRejectedException)
                {
                    // The grid refuses the job now (its class was removed, its payload grew past the
                    // limit): these ticks pass without a task rather than stop every schedule.
                    fire = [];
                }
            }

            await _redis.EvaluateAsync(QueueScript.ScheduleAdvance, _gridKeys, new ScriptArgs(4)
                .Add(s.Definition.Name).Add(due.ToUnixTimeMilliseconds()).Add(next.ToUnixTimeMilliseconds())
                .Add(fire.Count > 0 ? fire[^1].ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "")).ConfigureAwait(false);
        }

        return created;
    }

    // A tick's tasks: the schedule's job under a key only that schedule and tick make, then each
    // step of its chain under that key and its place, waiting for the one before (batch index
    // `at` is where the tick's first task sits in the submitted batch).
    private static IEnumerable<TaskSubmission> TickTasks(ScheduleDefinition s, string tick, int at)
    {
        var key = "schedule:" + s.Name + ":" + tick;
        yield return new TaskSubmission { Kind = s.Kind, Payload = s.Payload, Class = s.Class, Priority = s.Priority, IdempotencyKey = key, CorrelationId = "schedule:" + s.Name };
        for (var i = 0; i < s.Then.Count; i++)
        {
            var step = s.Then[i];
            yield return new TaskSubmission
            {
                Kind = step.Kind,
                Payload = step.Payload,
                Class = step.Class,
                Priority = step.Priority,
                IdempotencyKey = key + ":" + (i + 1).ToString(CultureInfo.InvariantCulture),
                CorrelationId = "schedule:" + s.Name,
                DependsOn = [TaskSubmission.InBatch(at + i)],
            };
        }
    }

    private async Task DropScheduleAsync(string name, string mode)
    {
        var reply = (await _redis.EvaluateAsync(QueueScript.ScheduleDrop, _gridKeys, new ScriptArgs(2).Add(name).Add(mode)).ConfigureAwait(false)).AsArray();
        if ((ResultCode)reply[0].AsLong() == ResultCode.NotFound)
        {
            throw QueueErrors.ScheduleNotFound(name);
        }
    }

    private async Task<List<ScheduleState>> ReadSchedulesAsync(string name)
    {
        var r = await ReplyAsync(QueueScript.Schedules, new ScriptArgs(1).Add(name)).ConfigureAwait(false);
        var list = new List<ScheduleState>();
        while (r.More)
        {
            _ = r.String("name");
            var definition = JsonSerializer.Deserialize<ScheduleDefinition>(r.String("definition"))!;
            var (next, last, paused) = (r.Time("next tick"), r.Time("last tick"), r.Long("paused") == 1);
            list.Add(new ScheduleState(definition, paused ? null : next, last, paused));
        }

        return list;
    }
}
