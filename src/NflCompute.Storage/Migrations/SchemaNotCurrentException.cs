using NflCompute.Core.Errors;

namespace NflCompute.Storage.Migrations;

/// <summary>
/// The database's schema is behind this build (migrations pending) or an applied migration was
/// changed. Workers and the dashboard never migrate (their roles may not change the schema): the
/// owner runs <c>nflc db migrate</c>.
/// </summary>
public sealed class SchemaNotCurrentException : NflComputeException
{
    /// <summary>Creates the exception from the migrations that are not applied as this build has them.</summary>
    public SchemaNotCurrentException(IReadOnlyList<MigrationStatus> behind)
        : base(Describe(behind)) => Behind = behind;

    /// <summary>The pending or changed migrations.</summary>
    public IReadOnlyList<MigrationStatus> Behind { get; }

    private static string Describe(IReadOnlyList<MigrationStatus> behind)
    {
        ArgumentNullException.ThrowIfNull(behind);
        static string Names(IEnumerable<MigrationStatus> s) => string.Join(", ", s.Select(m => $"{m.Version:D4}_{m.Name}"));
        var pending = behind.Where(m => m.State == MigrationState.Pending).ToList();
        var changed = behind.Where(m => m.State == MigrationState.Changed).ToList();
        var parts = new List<string>();
        if (pending.Count > 0)
        {
            parts.Add($"{pending.Count} migration{(pending.Count == 1 ? " is" : "s are")} pending ({Names(pending)})");
        }

        if (changed.Count > 0)
        {
            parts.Add($"{Names(changed)} changed after {(changed.Count == 1 ? "it was" : "they were")} applied");
        }

        return $"The database schema is not the one this build needs: {string.Join("; ", parts)}. " +
            "Run `nflc db migrate` as the database owner (workers and the dashboard never change the schema), then start this process again.";
    }
}
