namespace NflCompute.Storage.Backups;

/// <summary>What a restored copy of the grid's database holds, and how long restoring it took.</summary>
/// <param name="RestoreSeconds">From the restore's start to the copy accepting connections, recovery done.</param>
/// <param name="RowCounts">Rows per table of the grid's schema.</param>
/// <param name="ResultsChecksum">md5 of every result (grid, task, token, JSON) in key order.</param>
/// <param name="LatestMigration">The highest migration applied, or null.</param>
public sealed record RestoreReport(double RestoreSeconds, IReadOnlyDictionary<string, long> RowCounts, string ResultsChecksum, int? LatestMigration);
