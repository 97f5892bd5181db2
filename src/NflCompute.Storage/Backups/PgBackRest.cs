using System.Diagnostics;
using NflCompute.Core.Errors;
using Npgsql;

namespace NflCompute.Storage.Backups;

/// <summary>
/// Backups of the grid's Postgres with pgBackRest (the Debian package), and a restore check that
/// proves one can be used: the backup (latest, or up to a point in time) restored into a scratch
/// cluster on another port, recovered from the archived WAL, and read: every table's rows, a
/// checksum of the results, the latest migration.
/// </summary>
public sealed class PgBackRest(BackupOptions options)
{
    private readonly BackupOptions _options = Validated(options);

    /// <summary>The stanza, created if it is not yet (idempotent); then a backup of <paramref name="type"/> (full, diff or incr). Returns its seconds.</summary>
    public async Task<double> BackupAsync(string type, CancellationToken cancellationToken = default)
    {
        if (type is not ("full" or "diff" or "incr"))
        {
            throw new OptionsValidationException([$"Backup type '{type}' is not full, diff or incr."]);
        }

        var clock = Stopwatch.StartNew();
        await RunAsync("pgbackrest", [.. Common(), "stanza-create"], cancellationToken).ConfigureAwait(false);
        await RunAsync("pgbackrest", [.. Common(), "--type=" + type, "backup"], cancellationToken).ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Restores the latest backup (to the end of the archived WAL, or to <paramref name="target"/>)
    /// into the scratch folder, starts it on <see cref="BackupOptions.ScratchPort"/>, waits for its
    /// recovery to end and reads it as <paramref name="owner"/> would (the same user, database and
    /// password); stops and removes it afterwards.
    /// </summary>
    public async Task<RestoreReport> RestoreCheckAsync(PostgresOptions owner, DateTimeOffset? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var scratch = _options.ScratchDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_options.ConfigFile!))!, "restore-check");
        var data = Path.Combine(scratch, "data");
        var bin = _options.PgBin ?? NewestPgBin();
        var clock = Stopwatch.StartNew();
        await RunAsync("rm", ["-rf", data], cancellationToken).ConfigureAwait(false);
        await RunAsync("mkdir", ["-p", scratch], cancellationToken).ConfigureAwait(false);
        string[] pointInTime = target is { } t
            ? ["--type=time", "--target=" + t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", System.Globalization.CultureInfo.InvariantCulture), "--target-action=promote"]
            : [];
        await RunAsync("pgbackrest", [.. Common(), "--pg1-path=" + data, "--archive-mode=off", .. pointInTime, "restore"], cancellationToken).ConfigureAwait(false);
        try
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(scratch, "postgres.log"), "-w", "-t", "120",
                "-o", $"-p {_options.ScratchPort} -c listen_addresses=127.0.0.1 -k {scratch} -c archive_mode=off", "start"], cancellationToken).ConfigureAwait(false);
            var copy = new PostgresOptions
            {
                Host = "127.0.0.1", Port = _options.ScratchPort, Database = owner.Database, Username = owner.Username,
                Password = owner.Password, PasswordFile = owner.PasswordFile, SslMode = Npgsql.SslMode.Disable, MaxPoolSize = 2, PrepareStatements = false,
            };
            var db = PostgresDataSource.Create(copy);
            await using (db.ConfigureAwait(false))
            {
                await WaitForRecoveryAsync(db, cancellationToken).ConfigureAwait(false);
                var restored = clock.Elapsed.TotalSeconds;
                return await ReadAsync(db, restored, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "fast", "stop"], CancellationToken.None, mayFail: true).ConfigureAwait(false);
            await RunAsync("rm", ["-rf", data], CancellationToken.None, mayFail: true).ConfigureAwait(false);
        }
    }

    private static BackupOptions Validated(BackupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidationException.ThrowIfAny(options.Validate());
        return options;
    }

    private string[] Common() => ["--config=" + _options.ConfigFile, "--stanza=" + _options.Stanza, "--log-level-console=warn"];

    // Recovery replays the archived WAL, then the copy is promoted and accepts writes.
    private static async Task WaitForRecoveryAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));
        while (true)
        {
            try
            {
                if (!await ScalarAsync<bool>(db, "SELECT pg_is_in_recovery()", deadline.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow)
            {
                // Still starting up.
            }

            await Task.Delay(100, deadline.Token).ConfigureAwait(false);
        }
    }

    private static async Task<RestoreReport> ReadAsync(NpgsqlDataSource db, double restoreSeconds, CancellationToken cancellationToken)
    {
        var counts = await RowCountsAsync(db, cancellationToken).ConfigureAwait(false);
        var checksum = counts.ContainsKey("results") ? await ResultsChecksumAsync(db, cancellationToken).ConfigureAwait(false) : "";
        var latest = counts.ContainsKey("nflc_schema_migrations")
            ? await ScalarAsync<int?>(db, "SELECT max(version) FROM nflc_schema_migrations", cancellationToken).ConfigureAwait(false)
            : null;
        return new RestoreReport(restoreSeconds, counts, checksum, latest);
    }

    /// <summary>md5 over the results as <see cref="RestoreCheckAsync"/> computes it, for comparing a restored copy with its source.</summary>
    public static Task<string> ResultsChecksumAsync(NpgsqlDataSource db, CancellationToken cancellationToken = default) =>
        ScalarAsync<string>(db, "SELECT md5(coalesce(string_agg(grid || ':' || task_id || ':' || fencing_token || ':' || result::text, '|' ORDER BY grid, task_id), ''))::text FROM results", cancellationToken);

    /// <summary>Rows per table of the grid's schema, as <see cref="RestoreCheckAsync"/> counts them.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> RowCountsAsync(NpgsqlDataSource db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tables = new List<string>();
        var list = db.CreateCommand("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY relname");
        await using (list.ConfigureAwait(false))
        {
            var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tables.Add(reader.GetString(0));
                }
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            // Names from the catalog, quoted as identifiers.
            counts[table] = await ScalarAsync<long>(db, $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", cancellationToken).ConfigureAwait(false);
        }

        return counts;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, CancellationToken cancellationToken)
    {
        var command = db.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? default! : (T)value!;
        }
    }

    // pgBackRest and pg_ctl run as the cluster's owner: through runuser when this process is root.
    private async Task RunAsync(string file, string[] args, CancellationToken cancellationToken, bool mayFail = false)
    {
        var runAs = _options.RunAs ?? (Environment.UserName == "root" ? "postgres" : null);
        var info = runAs is not null && runAs != Environment.UserName
            ? new ProcessStartInfo("runuser", ["-u", runAs, "--", file, .. args])
            : new ProcessStartInfo(file, args);
        info.RedirectStandardError = info.RedirectStandardOutput = true;
        info.WorkingDirectory = "/";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0 && !mayFail)
        {
            throw new BackupException($"{Path.GetFileName(file)} {args.LastOrDefault()} failed ({process.ExitCode}): {(await errors.ConfigureAwait(false)).Trim()} {(await output.ConfigureAwait(false)).Trim()}".Trim());
        }
    }

    private static string NewestPgBin() =>
        Directory.Exists("/usr/lib/postgresql") && Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).LastOrDefault() is { } newest
            ? Path.Combine(newest, "bin")
            : throw new OptionsValidationException(["Backup:PgBin is not set and no Postgres is under /usr/lib/postgresql."]);
}
