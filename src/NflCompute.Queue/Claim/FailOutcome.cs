namespace NflCompute.Queue;

/// <summary>What became of a reported failure.</summary>
/// <param name="Kind">Retried later, failed for good, cancelled, or not the caller's to report.</param>
/// <param name="RetryAt">When the retry becomes due, for <see cref="FailOutcomeKind.RetryScheduled"/>.</param>
public readonly record struct FailOutcome(FailOutcomeKind Kind, DateTimeOffset? RetryAt);
