namespace NflCompute.Queue;

/// <summary>The outcome of submitting one task.</summary>
/// <param name="Id">The task's id.</param>
/// <param name="Duplicate">True when the idempotency key matched an earlier task, whose id this is; nothing new was created.</param>
public readonly record struct SubmitResult(string Id, bool Duplicate)
{
    /// <summary>True when this duplicate replaced the first task's payload (<see cref="DuplicatePolicy.Replace"/>, the task not started yet).</summary>
    public bool Replaced { get; init; }
}
