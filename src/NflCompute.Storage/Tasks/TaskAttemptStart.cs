namespace NflCompute.Storage.Tasks;

/// <summary>The facts of an attempt when it starts.</summary>
public sealed record TaskAttemptStart(
    AttemptKey Attempt,
    string Kind,
    string Class,
    int Priority,
    string? CorrelationId,
    DateTimeOffset SubmittedAt,
    DateTimeOffset StartedAt,
    string WorkerId,
    string? Device);
