namespace NflCompute.Queue;

/// <summary>A page of the dead-letter queue, newest first.</summary>
/// <param name="Total">Tasks in the DLQ.</param>
/// <param name="Items">This page.</param>
public sealed record DeadLetterPage(long Total, IReadOnlyList<DeadLetter> Items);
