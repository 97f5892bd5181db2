using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>
    /// Sets a class's limits (replacing its earlier ones; <see cref="ClassLimits.None"/> clears
    /// them). A concurrency limit counts the class's tasks running now; a rate starts with a full
    /// bucket. Claims enforce them from the next call on; tasks already running finish.
    /// <see cref="QueueCounts.Limits"/> shows them.
    /// </summary>
    /// <exception cref="ArgumentException">The class is not one of the grid's, or a limit is below 1.</exception>
    public async Task SetLimitsAsync(string cls, ClassLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ThrowIfUnknownClasses([cls]);
        if (limits.MaxRunning is < 1)
        {
            throw new ArgumentException($"MaxRunning is {limits.MaxRunning}; it must be at least 1 (or null for no limit).", nameof(limits));
        }

        if (limits.Rate is { } rate && (rate.Tasks < 1 || rate.Per < TimeSpan.FromMilliseconds(1)))
        {
            throw new ArgumentException($"Rate {rate.Tasks}/{rate.Per} must start at least 1 task per at least 1 ms.", nameof(limits));
        }

        var args = new ScriptArgs(3).Add(cls).Add(limits.MaxRunning is { } m ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : "").Add(limits.Rate?.Encode() ?? "");
        ThrowIfGridLacksClass((await _redis.EvaluateAsync(QueueScript.Limit, _gridKeys, args).ConfigureAwait(false)).AsArray(), nameof(cls));
    }
}
