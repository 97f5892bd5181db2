using Npgsql;

namespace NflCompute.Storage;

/// <summary>
/// The least-privilege roles made by migration 0002 (without login): <c>nflc_worker</c> writes
/// tasks and results, <c>nflc_reader</c> only reads. Their passwords come from configuration or a
/// secret file at deploy time, through <see cref="SetLoginAsync"/>; never from code.
/// </summary>
public static class StorageRoles
{
    /// <summary>The worker role: writes tasks, attempts, results, machines, datasets, metrics, regressions.</summary>
    public const string Worker = "nflc_worker";

    /// <summary>The read-only role for dashboards.</summary>
    public const string Reader = "nflc_reader";

    /// <summary>
    /// Gives each role whose password file <paramref name="roles"/> names its login (run as the
    /// migrations owner, after migrating); returns the roles.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SetLoginsAsync(NpgsqlDataSource owner, RoleOptions roles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var set = new List<string>();
        foreach (var (role, file) in roles.Logins())
        {
            await SetLoginAsync(owner, role, (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim(), cancellationToken).ConfigureAwait(false);
            set.Add(role);
        }

        return set;
    }

    /// <summary>Lets <paramref name="role"/> log in with <paramref name="password"/> (run as the migrations owner).</summary>
    public static async Task SetLoginAsync(NpgsqlDataSource owner, string role, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (role is not (Worker or Reader))
        {
            throw new ArgumentException($"'{role}' is not one of the grid's roles ({Worker}, {Reader}).", nameof(role));
        }

        ArgumentException.ThrowIfNullOrEmpty(password);

        // Roles are cluster-wide: two databases' owners setting the same login at once make one
        // ALTER fail with "tuple concurrently updated"; a try on a fresh connection succeeds.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AlterLoginAsync(owner, role, password, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException e) when (attempt < 10 && e.SqlState == PostgresErrorCodes.InternalError && e.MessageText.Contains("concurrently", StringComparison.Ordinal))
            {
                await Task.Delay(10 * attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task AlterLoginAsync(NpgsqlDataSource owner, string role, string password, CancellationToken cancellationToken)
    {
        var connection = await owner.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);

        // DDL takes no parameters: format() quotes the role and the password as Postgres literals.
        string statement;
        var format = new NpgsqlCommand("SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', @role, @password)", connection);
        await using (format.ConfigureAwait(false))
        {
            format.Parameters.AddWithValue("role", role);
            format.Parameters.AddWithValue("password", password);
            statement = (string)(await format.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var alter = new NpgsqlCommand(statement, connection);
        await using var alterScope = alter.ConfigureAwait(false);
        await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
