using NflCompute.Queue;

namespace NflCompute.Client;

/// <summary>How to queue one task; every property has a sensible default.</summary>
public sealed record SubmitOptions
{
    /// <summary>Higher runs first (0..1,000,000); waiting tasks age upward. Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>The hardware class: cpu (default), gpu or gpu-high.</summary>
    public string Class { get; init; } = "cpu";

    /// <summary>The same key within the grid's idempotency window returns the first task instead of a second.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>What a submission repeating <see cref="IdempotencyKey"/> does: restart the key's window, or replace a not-yet-started task's payload. Default: the first wins.</summary>
    public DuplicatePolicy OnDuplicate { get; init; }

    /// <summary>Tasks that must complete first (ids, or <c>#i</c> for the i-th task of the same batch).</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>What this task does when a parent in <see cref="DependsOn"/> fails or is cancelled. Default: it fails too.</summary>
    public ParentFailurePolicy OnParentFailure { get; init; }

    /// <summary>Carried into every log line of the task, from client to worker to Postgres.</summary>
    public string? CorrelationId { get; init; }
}
