namespace NflCompute.Core.Errors;

/// <summary>No task has this id: it never existed, or it finished and its retention expired.</summary>
public sealed class TaskNotFoundException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public TaskNotFoundException(string taskId)
        : base($"Task {taskId} does not exist (never submitted, or finished and past its retention).", taskId)
    {
    }
}
