namespace NflCompute.Storage.Results;

/// <summary>A result already in Postgres, as a claim batch looks it up.</summary>
/// <param name="Kind">The kind of the task that wrote it.</param>
/// <param name="SubmittedAt">When the task history says its task was submitted (null when it has no record).</param>
/// <param name="InlineJson">The result, when it is small enough to go to Redis with the completion.</param>
public sealed record DurableResult(string Kind, DateTimeOffset? SubmittedAt, string? InlineJson);
