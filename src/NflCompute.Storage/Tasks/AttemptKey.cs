namespace NflCompute.Storage.Tasks;

/// <summary>
/// Which attempt of which task: the attempt number users see, and the claim's fencing token that
/// tells two claims apart even when a rolled-back Redis issued the same attempt number twice.
/// </summary>
public readonly record struct AttemptKey(string TaskId, int Attempt, long FencingToken);
