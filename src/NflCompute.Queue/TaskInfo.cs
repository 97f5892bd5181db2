using NflCompute.Core;

namespace NflCompute.Queue;

/// <summary>A task as Redis holds it now.</summary>
public sealed record TaskInfo
{
    /// <summary>The task id.</summary>
    public required string Id { get; init; }

    /// <summary>Its state.</summary>
    public required TaskState State { get; init; }

    /// <summary>The job kind.</summary>
    public required string Kind { get; init; }

    /// <summary>The hardware class.</summary>
    public required string Class { get; init; }

    /// <summary>Its priority (before aging).</summary>
    public int Priority { get; init; }

    /// <summary>The payload.</summary>
    public string Payload { get; init; } = "";

    /// <summary>Claims so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Times it lost its worker and was requeued.</summary>
    public int Stalls { get; init; }

    /// <summary>The worker that holds it, or last held it.</summary>
    public string? Worker { get; init; }

    /// <summary>The last error, if an attempt failed.</summary>
    public string? Error { get; init; }

    /// <summary>The result, once completed.</summary>
    public string? Result { get; init; }

    /// <summary>Who submitted it (fair share's turn), or null when no submitter was given.</summary>
    public string? Submitter { get; init; }

    /// <summary>The submitter's correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The W3C traceparent of the submission's span, when it was traced: the trace its attempts continue.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The running attempt's last reported progress (kept when it ends); null when none was reported.</summary>
    public JobProgress? Progress { get; init; }

    /// <summary>When it was submitted.</summary>
    public DateTimeOffset SubmittedAt { get; init; }

    /// <summary>When it became (or becomes, if delayed) eligible to run; aging counts from here.</summary>
    public DateTimeOffset EligibleAt { get; init; }

    /// <summary>When it finished, if it has.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>True once cancellation of a running task was requested.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The tasks it depended on (<see cref="TaskSubmission.DependsOn"/>, batch references resolved to ids), in the order given.</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>Parents that failed or were cancelled and that this task ignored (<see cref="ParentFailurePolicy.Ignore"/>), in the order they ended.</summary>
    public IReadOnlyList<FailedParent> FailedParents { get; init; } = [];
}
