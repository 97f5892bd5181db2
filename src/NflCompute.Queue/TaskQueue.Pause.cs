using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>
    /// Pauses hardware classes: claims skip them from now on (their tasks stay pending, in order,
    /// and keep aging), tasks already running finish. Pausing a paused class keeps its first time.
    /// <see cref="QueueCounts.Paused"/> shows them.
    /// </summary>
    /// <exception cref="ArgumentException">A class is not one of the grid's; nothing was paused.</exception>
    public Task PauseAsync(IReadOnlyList<string> classes) => SetPausedAsync(classes, pause: true);

    /// <summary>Resumes paused classes; idle workers are woken, so their tasks start at once.</summary>
    /// <exception cref="ArgumentException">A class is not one of the grid's; nothing was resumed.</exception>
    public Task ResumeAsync(IReadOnlyList<string> classes) => SetPausedAsync(classes, pause: false);

    private async Task SetPausedAsync(IReadOnlyList<string> classes, bool pause)
    {
        ThrowIfUnknownClasses(classes);
        var args = new ScriptArgs(2 + classes.Count).Add(Now).Add(pause ? "1" : "0");
        foreach (var c in classes)
        {
            args.Add(c);
        }

        ThrowIfGridLacksClass((await _redis.EvaluateAsync(QueueScript.Pause, _gridKeys, args).ConfigureAwait(false)).AsArray(), nameof(classes));
    }

    // A script's {UNKNOWN_CLASS, class} reply: the options know the class but the grid was configured without it.
    private static void ThrowIfGridLacksClass(ScriptReply[] reply, string parameter)
    {
        if ((ResultCode)reply[0].AsLong() == ResultCode.UnknownClass)
        {
            throw QueueErrors.UnknownClass(reply[1].AsString(), parameter);
        }
    }
}
