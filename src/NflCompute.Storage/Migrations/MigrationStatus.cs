namespace NflCompute.Storage.Migrations;

/// <summary>One migration's state in a database.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">Applied, pending, changed or unknown.</param>
/// <param name="AppliedAt">When it was applied, if it was.</param>
public sealed record MigrationStatus(int Version, string Name, MigrationState State, DateTimeOffset? AppliedAt);
