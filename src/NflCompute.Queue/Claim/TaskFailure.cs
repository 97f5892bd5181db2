namespace NflCompute.Queue;

/// <summary>A failed attempt to report.</summary>
/// <param name="Task">The task, as claimed.</param>
/// <param name="Error">What went wrong, for the DLQ and the logs.</param>
/// <param name="Retryable">False for failures that another attempt cannot fix (bad input): the task goes straight to the DLQ.</param>
public sealed record TaskFailure(ClaimedTask Task, string Error, bool Retryable = true)
{
    /// <summary>The W3C traceparent of the failed attempt's span, when traced: a retry's span links to it.</summary>
    public string? AttemptSpan { get; init; }
}
