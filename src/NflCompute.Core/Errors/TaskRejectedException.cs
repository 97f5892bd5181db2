namespace NflCompute.Core.Errors;

/// <summary>
/// A submission was refused because of what it contains; nothing of it was stored. The message
/// names the offending task (by its index in the batch) and field. Not transient: fix the input.
/// </summary>
public sealed class TaskRejectedException : NflComputeException
{
    /// <summary>Creates the exception for the task at <paramref name="index"/> of a batch.</summary>
    public TaskRejectedException(int index, string field, string problem)
        : base($"tasks[{index}].{field}: {problem}")
    {
        Index = index;
        Field = field;
        Problem = problem;
    }

    /// <summary>The index of the refused task in its batch (0 for a single submission).</summary>
    public int Index { get; }

    /// <summary>The field that is wrong, e.g. <c>Priority</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
