namespace NflCompute.Queue;

/// <summary>One task to submit.</summary>
public sealed record TaskSubmission
{
    /// <summary>The job kind a worker dispatches on, e.g. <c>compare-models</c>: 1-64 letters, digits, '-', '_' or '.'.</summary>
    public required string Kind { get; init; }

    /// <summary>The job's input, usually JSON; big inputs go in a dataset and the payload names it.</summary>
    public string Payload { get; init; } = "";

    /// <summary>The hardware class whose workers may run it, e.g. <c>gpu</c>. Default <c>cpu</c>.</summary>
    public string Class { get; init; } = "cpu";

    /// <summary>0 (default) to <see cref="QueueOptions.MaxPriority"/>; higher runs first, and waiting raises it (aging).</summary>
    public int Priority { get; init; }

    /// <summary>Run no earlier than this long after submission. Default none.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Attempts before a retryable failure is final; null takes <see cref="QueueOptions.MaxAttempts"/>.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Retry delays; null takes <see cref="QueueOptions.Backoff"/>.</summary>
    public BackoffPolicy? Backoff { get; init; }

    /// <summary>
    /// Within <see cref="QueueOptions.IdempotencyWindow"/>, a second submission with the same key
    /// returns the first task's id and creates nothing. Up to 200 characters.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>What a second submission with the same <see cref="IdempotencyKey"/> does besides returning the first task's id. Default <see cref="DuplicatePolicy.FirstWins"/>.</summary>
    public DuplicatePolicy OnDuplicate { get; init; }

    /// <summary>
    /// Who submitted it, for fair share: within a class and priority, submitters take turns at the
    /// queue, so one submitter's backlog delays another's task by at most one claim batch. Up to
    /// 128 characters, no spaces or control characters; null (the default) shares one turn with
    /// every task submitted without one. The client sets user@machine unless told otherwise.
    /// </summary>
    public string? Submitter { get; init; }

    /// <summary>The submitter's correlation id, carried to the worker and its logs; up to 200 characters, no control characters.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>
    /// Tasks that must complete before this one runs: task ids, or <see cref="InBatch"/> references
    /// to earlier tasks of the same batch.
    /// </summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>What happens to this task if a parent fails or is cancelled. Default <see cref="ParentFailurePolicy.Fail"/>.</summary>
    public ParentFailurePolicy OnParentFailure { get; init; } = ParentFailurePolicy.Fail;

    /// <summary>A reference to the task at <paramref name="index"/> of the same batch, for <see cref="DependsOn"/>.</summary>
    public static string InBatch(int index) => "#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
