using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue;

/// <summary>
/// The one place a script's result code (<see cref="ResultCode"/>) becomes the exception a caller
/// sees, with what the call was about: the task, the batch's index and field, the class, the schedule.
/// </summary>
internal static class QueueErrors
{
    /// <summary>The error of a call about one task, or null when it succeeded.</summary>
    /// <param name="code">The script's code.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="fencingToken">The caller's claim, for a lost lease.</param>
    /// <param name="state">The state the task was in, for a wrong state.</param>
    /// <param name="operation">What the caller tried, for a wrong state ("cancel it").</param>
    public static NflComputeException? ForTask(ResultCode code, string taskId, long fencingToken = 0, TaskState state = default, string operation = "") => code switch
    {
        ResultCode.Ok => null,
        ResultCode.StaleLease => new LeaseLostException(taskId, fencingToken),
        ResultCode.WrongState => new InvalidTaskStateException(taskId, state, operation),
        _ => new TaskNotFoundException(taskId),
    };

    /// <summary>The error of a submission whose task <paramref name="index"/> the script refused.</summary>
    public static NflComputeException ForSubmission(ResultCode code, int index, string detail, string prefix) => code switch
    {
        ResultCode.NotConfigured => new GridNotConfiguredException(prefix),
        ResultCode.UnknownClass => new TaskRejectedException(index, nameof(TaskSubmission.Class), $"unknown class '{detail}'; the grid's classes are set by TaskQueue.ConfigureAsync"),
        ResultCode.PayloadTooLarge => new TaskRejectedException(index, nameof(TaskSubmission.Payload), detail),
        ResultCode.ParentNotFound => new TaskRejectedException(index, nameof(TaskSubmission.DependsOn), $"parent {detail} does not exist"),
        _ => new TaskRejectedException(index, "(task)", detail),
    };

    /// <summary>A class the options name but the grid was configured without.</summary>
    public static ArgumentException UnknownClass(string hardwareClass, string parameter) =>
        new($"Class '{hardwareClass}' is not configured on this grid; run nflc grid configure.", parameter);

    /// <summary>A schedule that does not exist.</summary>
    public static TaskNotFoundException ScheduleNotFound(string name) => new("schedule " + name);
}
