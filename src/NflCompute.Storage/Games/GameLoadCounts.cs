namespace NflCompute.Storage.Games;

/// <summary>What an upsert of games did.</summary>
/// <param name="New">Games not seen before.</param>
/// <param name="Changed">Games whose stored row differed (e.g. a score came in).</param>
/// <param name="Unchanged">Games already stored exactly so.</param>
public sealed record GameLoadCounts(int New, int Changed, int Unchanged);
