namespace NflCompute.Queue;

/// <summary>What a submission whose idempotency key matches an earlier task's does (it always gets that task's id and creates nothing).</summary>
public enum DuplicatePolicy
{
    /// <summary>Nothing more: the first task wins, the key's window runs from the first submission.</summary>
    FirstWins,

    /// <summary>The key's window (<see cref="QueueOptions.IdempotencyWindow"/>) starts again: a key kept busy stays claimed.</summary>
    Extend,

    /// <summary>
    /// The first task's body (kind, correlation id, payload) becomes this one's, if the first has
    /// not started (pending, delayed or waiting on parents); its class, priority and place stay.
    /// A started one is left as it is.
    /// </summary>
    Replace,

    /// <summary>
    /// At most one running and one waiting task per key: a duplicate replaces the waiting task's
    /// body (as <see cref="Replace"/>), and once that task has started (or ended), the next
    /// duplicate becomes a new task that the key then names.
    /// </summary>
    KeepLastIfActive,
}
