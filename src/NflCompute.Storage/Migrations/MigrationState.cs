namespace NflCompute.Storage.Migrations;

/// <summary>Where a migration stands in one database.</summary>
public enum MigrationState
{
    /// <summary>Applied, with the same text as now.</summary>
    Applied,

    /// <summary>Not applied yet.</summary>
    Pending,

    /// <summary>Applied, but its text has changed since: an error until resolved by hand.</summary>
    Changed,

    /// <summary>Applied in the database but unknown to this build (a newer build migrated it).</summary>
    Unknown,
}
