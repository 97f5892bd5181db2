namespace NflCompute.Queue;

/// <summary>A task in the dead-letter queue.</summary>
/// <param name="Id">The task id.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Class">The hardware class.</param>
/// <param name="Attempts">Attempts it had.</param>
/// <param name="FailedAt">When it failed for good.</param>
/// <param name="Error">Why.</param>
public sealed record DeadLetter(string Id, string Kind, string Class, int Attempts, DateTimeOffset FailedAt, string Error);
