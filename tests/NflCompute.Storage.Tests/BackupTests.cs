using System.Diagnostics;
using NflCompute.Storage.Backups;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using Npgsql;

namespace NflCompute.Storage.Tests;

/// <summary>
/// Backups for real: a Postgres cluster of the test's own, archiving its WAL to a pgBackRest
/// repository, backed up (full, then differential), written to, damaged, and restored to the
/// moment before the damage into a scratch cluster, which must hold exactly what the source held
/// then (from the differential and the WAL after it).
/// </summary>
public sealed class BackupTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Port = 15497;
    private const int ScratchPort = 15496;
    private readonly string _dir = Path.Combine("/var/tmp", "nflc-backup-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).Last() + "/bin";
    private readonly string? _runAs = Environment.UserName == "root" ? "postgres" : null;

    [Fact]
    public async Task ABackup_RestoredToTheMomentBeforeTheDamage_HoldsExactlyWhatTheSourceHeldThen()
    {
        StartCluster();
        var owner = new PostgresOptions { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "grid", SslMode = SslMode.Disable, Password = "unused-trust-auth" };
        await using (var admin = PostgresDataSource.Create(new PostgresOptions { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres", SslMode = SslMode.Disable, Password = "unused-trust-auth" }))
        {
            await ExecuteAsync(admin, "CREATE DATABASE grid");
        }

        await using var db = PostgresDataSource.Create(owner);
        await new MigrationRunner(db).MigrateAsync();
        await CommitAsync(db, 0, 50);
        var backups = new PgBackRest(new BackupOptions { ConfigFile = Path.Combine(_dir, "pgbackrest.conf"), RunAs = _runAs, PgBin = _bin, ScratchPort = ScratchPort, ScratchDir = Path.Combine(_dir, "restore-check") });

        var backupSeconds = await backups.BackupAsync("full");
        await CommitAsync(db, 50, 10); // after the full backup: the differential has these
        var differentialSeconds = await backups.BackupAsync("diff");
        await Task.Delay(1100); // pgBackRest picks the backup for a target time by its stop time, in whole seconds
        await CommitAsync(db, 60, 10); // after both: only the archived WAL has these
        var before = (Counts: await PgBackRest.RowCountsAsync(db), Checksum: await PgBackRest.ResultsChecksumAsync(db));
        var moment = await ScalarAsync<DateTime>(db, "SELECT clock_timestamp()");
        await Task.Delay(50);
        await ExecuteAsync(db, "DELETE FROM result_audit"); // the damage: the audit trail and the results gone
        await ExecuteAsync(db, "DELETE FROM results");
        await ExecuteAsync(db, "SELECT pg_switch_wal()");
        await WaitForArchiveAsync(db);

        var report = await backups.RestoreCheckAsync(owner, new DateTimeOffset(moment, TimeSpan.Zero));

        Assert.Equal(70, report.RowCounts["results"]);
        Assert.Equal(before.Checksum, report.ResultsChecksum);
        Assert.Equal(before.Counts, report.RowCounts);
        Assert.Equal(MigrationCatalog.Embedded.Max(m => m.Version), report.LatestMigration);
        Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM results")); // the source keeps its damage
        output.WriteLine($"backup: full {backupSeconds:F2} s, differential {differentialSeconds:F2} s; restore to a point in time, recovered: {report.RestoreSeconds:F2} s");
    }

    public void Dispose()
    {
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop"], mayFail: true);
        Run("rm", ["-rf", _dir], mayFail: true, asOwner: false);
    }

    // One completed attempt per task, through the grid's own commit (results, attempts, tasks).
    private static async Task CommitAsync(NpgsqlDataSource db, int from, int count)
    {
        var t0 = DateTimeOffset.UtcNow;
        var batch = Enumerable.Range(from, count).Select(i => new CompletedAttempt(
            new TaskAttemptStart(new AttemptKey($"task-{i:D6}", 1, (1L << 32) + i), "noop", "cpu", 0, null, t0, t0, "w1", "cpu"), t0, $$"""{"n": {{i}}}""", 0, 0)).ToList();
        Assert.Empty(await new ResultStore(db, "nflc").CommitCompletedAsync(batch));
    }

    private async Task WaitForArchiveAsync(NpgsqlDataSource db)
    {
        var segment = await ScalarAsync<string>(db, "SELECT pg_walfile_name(pg_current_wal_lsn())");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (string.CompareOrdinal(await ScalarAsync<string>(db, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"), segment) < 0)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    private void StartCluster()
    {
        Run("mkdir", ["-p", _dir], asOwner: false);
        if (_runAs is not null)
        {
            Run("chown", [_runAs + ":", _dir], asOwner: false);
        }

        File.WriteAllText(Path.Combine(_dir, "pgbackrest.conf"), $"""
            [global]
            repo1-path={_dir}/repo
            log-path={_dir}/log
            lock-path={_dir}/lock
            start-fast=y
            archive-async=n

            [nflc]
            pg1-path={_dir}/data
            pg1-port={Port}
            pg1-socket-path={_dir}
            """);
        Run("initdb", ["-D", Path.Combine(_dir, "data"), "-U", "postgres", "--auth=trust"], inBin: true);
        var archive = $"pgbackrest --config={_dir}/pgbackrest.conf --stanza=nflc archive-push %p";
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "postgres.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_dir} -c wal_level=replica -c archive_mode=on -c archive_command='{archive}'", "start"]);
    }

    private void Run(string file, string[] args, bool mayFail = false, bool asOwner = true, bool inBin = false)
    {
        var path = inBin ? Path.Combine(_bin, file) : file;
        var info = asOwner && _runAs is not null ? new ProcessStartInfo("runuser", ["-u", _runAs, "--", path, .. args]) : new ProcessStartInfo(path, args);
        info.RedirectStandardError = info.RedirectStandardOutput = true;
        info.WorkingDirectory = "/";
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(mayFail || process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {errors.Result}");
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
