namespace NflCompute.Storage.Tasks;

/// <summary>The facts of an attempt when it starts.</summary>
/// <param name="Attempt">Which attempt of which task, and its fencing token.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Class">The hardware class it was submitted to.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="CorrelationId">The submitter's correlation id, if any.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="StartedAt">When this attempt started.</param>
/// <param name="WorkerId">The worker running it.</param>
/// <param name="Device">The device it runs on.</param>
/// <param name="TraceId">The W3C trace id the task's submission started (32 hex digits), when it was traced.</param>
public sealed record TaskAttemptStart(
    AttemptKey Attempt,
    string Kind,
    string Class,
    int Priority,
    string? CorrelationId,
    DateTimeOffset SubmittedAt,
    DateTimeOffset StartedAt,
    string WorkerId,
    string? Device,
    string? TraceId = null);
