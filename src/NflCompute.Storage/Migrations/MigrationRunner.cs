using Npgsql;

namespace NflCompute.Storage.Migrations;

/// <summary>
/// Applies migrations in version order, each in its own transaction together with its record in
/// <c>nflc_schema_migrations</c>, under a Postgres advisory lock so that processes migrating at
/// once take turns and every migration runs exactly once. An applied migration whose text changed
/// is refused before anything runs.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, IReadOnlyList<Migration>? migrations = null)
{
    // "nflcmigr" as a 64-bit advisory lock key.
    private const long LockKey = 0x6E666C636D696772;

    private readonly IReadOnlyList<Migration> _migrations = migrations ?? MigrationCatalog.Embedded;

    /// <summary>Applies what is pending; returns the migrations this call applied.</summary>
    /// <exception cref="MigrationChecksumException">An applied migration was changed.</exception>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", LockKey)).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS nflc_schema_migrations (
                    version     integer PRIMARY KEY,
                    name        text NOT NULL,
                    checksum    text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now())
                """, cancellationToken).ConfigureAwait(false);
            var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            foreach (var m in _migrations)
            {
                if (applied.TryGetValue(m.Version, out var record) && record.Checksum != m.Checksum)
                {
                    throw new MigrationChecksumException(m.Version, m.Name, record.Checksum, m.Checksum);
                }
            }

            var done = new List<Migration>();
            foreach (var m in _migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, m, cancellationToken).ConfigureAwait(false);
                done.Add(m);
            }

            return done;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", LockKey)).ConfigureAwait(false);
        }
    }

    /// <summary>Each migration's state in the database, with any applied ones this build does not know.</summary>
    public async Task<IReadOnlyList<MigrationStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var exists = new NpgsqlCommand("SELECT to_regclass('nflc_schema_migrations') IS NOT NULL", connection);
        await using (exists.ConfigureAwait(false))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return _migrations.Select(m => new MigrationStatus(m.Version, m.Name, MigrationState.Pending, null)).ToList();
            }
        }

        var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        var status = _migrations.Select(m => applied.TryGetValue(m.Version, out var r)
            ? new MigrationStatus(m.Version, m.Name, r.Checksum == m.Checksum ? MigrationState.Applied : MigrationState.Changed, r.AppliedAt)
            : new MigrationStatus(m.Version, m.Name, MigrationState.Pending, null)).ToList();
        status.AddRange(applied.Where(a => _migrations.All(m => m.Version != a.Key))
            .Select(a => new MigrationStatus(a.Key, a.Value.Name, MigrationState.Unknown, a.Value.AppliedAt)));
        return status;
    }

    /// <summary>
    /// Checks, without changing anything, that every migration of this build is applied as it is
    /// now: what a worker or the dashboard does at start instead of migrating. Returns the applied
    /// migrations this build does not know (a newer build migrated; the caller warns).
    /// </summary>
    /// <exception cref="SchemaNotCurrentException">A migration is pending or was changed.</exception>
    public async Task<IReadOnlyList<MigrationStatus>> EnsureCurrentAsync(CancellationToken cancellationToken = default)
    {
        var status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        var behind = status.Where(s => s.State is MigrationState.Pending or MigrationState.Changed).ToList();
        return behind.Count > 0 ? throw new SchemaNotCurrentException(behind) : status.Where(s => s.State == MigrationState.Unknown).ToList();
    }

    private static async Task<Dictionary<int, (string Name, string Checksum, DateTimeOffset AppliedAt)>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, (string, string, DateTimeOffset)>();
        var command = new NpgsqlCommand("SELECT version, name, checksum, applied_at FROM nflc_schema_migrations", connection);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
        }

        return applied;
    }

    // One migration and its record in one transaction. Roles are cluster-wide but the advisory lock
    // is per database, so two databases migrating at once may both create a role: the loser's
    // CREATE ROLE fails with a unique violation on pg_authid (not the duplicate_object a migration
    // can catch). Its transaction rolls back, and the retry finds the role made.
    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            try
            {
                await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, "INSERT INTO nflc_schema_migrations (version, name, checksum) VALUES (@v, @n, @c)", cancellationToken, ("v", migration.Version), ("n", migration.Name), ("c", migration.Checksum)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException e) when (attempt < 5 && e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "pg_authid_rolname_index")
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using var commandScope = command.ConfigureAwait(false);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
