namespace NflCompute.Core.Errors;

/// <summary>The operation does not apply to the task's current state (cancelling a completed task, say).</summary>
public sealed class InvalidTaskStateException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public InvalidTaskStateException(string taskId, TaskState state, string operation)
        : base($"Task {taskId} is {state}; cannot {operation}.", taskId) => State = state;

    /// <summary>The state the task was in.</summary>
    public TaskState State { get; }
}
