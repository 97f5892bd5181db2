using System.CommandLine;
using Microsoft.Extensions.Configuration;
using NflCompute.Core;
using NflCompute.Queue;
using NflCompute.Storage;
using NflCompute.Storage.Backups;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tasks;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc db migrate|status</c>: the schema's versioned migrations.</summary>
internal static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "The Postgres schema, its history and its backups: migrate, status, prune, backup, restore-check.");
        db.Subcommands.Add(Migrate());
        db.Subcommands.Add(Status());
        db.Subcommands.Add(Prune());
        db.Subcommands.Add(Backup());
        db.Subcommands.Add(RestoreCheck());
        return db;
    }

    private static Command Migrate()
    {
        var migrate = new Command("migrate", """
            Apply the pending migrations in order, under an advisory lock (safe to run from many
            processes at once). Refuses to run when an applied migration was changed. Run it as
            the database owner: workers and the dashboard never migrate. With Roles:WorkerPasswordFile
            and Roles:ReaderPasswordFile set, nflc_worker and nflc_reader get their logins too.

            Example: nflc db migrate --set Postgres:Port=15432
            """);
        CliContext.Run(migrate, async (cli, _, cancellationToken) =>
        {
            var db = cli.OpenPostgres();
            await using (db.ConfigureAwait(false))
            {
                var applied = await new MigrationRunner(db).MigrateAsync(cancellationToken).ConfigureAwait(false);
                var logins = await StorageRoles.SetLoginsAsync(db, cli.Settings.Roles, cancellationToken).ConfigureAwait(false);

                cli.Print(applied.Select(m => new { m.Version, m.Name }), () =>
                {
                    cli.Console.MarkupLine(applied.Count == 0
                        ? "The schema is up to date."
                        : $"Applied {string.Join(", ", applied.Select(m => $"{m.Version:d4}_{m.Name}"))}.");
                    if (logins.Count > 0)
                    {
                        cli.Console.MarkupLine($"{string.Join(" and ", logins)} can log in (passwords from Roles:*PasswordFile).");
                    }
                });
                return ExitCodes.Ok;
            }
        });
        return migrate;
    }

    private static Command Status()
    {
        var status = new Command("status", """
            Show each migration: applied (and when), pending, or changed after it was applied.
            Exits 1 when one was changed.

            Example: nflc db status --json
            """);
        CliContext.Run(status, async (cli, _, cancellationToken) =>
        {
            var db = cli.OpenPostgres();
            await using (db.ConfigureAwait(false))
            {
                var states = await new MigrationRunner(db).StatusAsync(cancellationToken).ConfigureAwait(false);
                cli.Print(states, () =>
                {
                    var table = new Table().AddColumns("Version", "Name", "State", "Applied at");
                    foreach (var s in states)
                    {
                        var color = s.State switch { MigrationState.Applied => "green", MigrationState.Pending => "yellow", _ => "red" };
                        table.AddRow($"{s.Version:d4}", Markup.Escape(s.Name), $"[{color}]{s.State}[/]", s.AppliedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    }

                    cli.Console.Write(table);
                });
                return states.Any(s => s.State is MigrationState.Changed) ? ExitCodes.Failed : ExitCodes.Ok;
            }
        });
        return status;
    }

    private static Command Backup()
    {
        var type = new Option<string>("--type") { Description = "full, diff or incr (default full).", DefaultValueFactory = _ => "full" };
        var backup = new Command("backup", """
            Back up the grid's Postgres with pgBackRest (Backup:ConfigFile, Backup:Stanza; the stanza
            is created on first use), and say how long it took.

            Example: nflc db backup --type diff --set Backup:ConfigFile=/etc/pgbackrest/pgbackrest.conf
            """)
        { type };
        CliContext.Run(backup, async (cli, parse, cancellationToken) =>
        {
            var seconds = await new PgBackRest(BackupSettings(cli)).BackupAsync(parse.GetValue(type)!, cancellationToken).ConfigureAwait(false);
            cli.Print(new { type = parse.GetValue(type), seconds }, () => cli.Console.MarkupLineInterpolated($"Backup ({parse.GetValue(type)}) done in {seconds:F1} s."));
            return ExitCodes.Ok;
        });
        return backup;
    }

    private static Command RestoreCheck()
    {
        var to = new Option<DateTimeOffset?>("--to") { Description = "Restore to this moment (point in time, e.g. 2026-12-01T14:30:00Z) instead of the end of the archived WAL." };
        var restoreCheck = new Command("restore-check", """
            Prove the latest backup restores: restore it (to the end of the archived WAL, or --to a
            moment) into a scratch cluster on Backup:ScratchPort, wait for recovery, and read it:
            every table's rows, a checksum of the results and the latest migration, with how long
            the restore took. Exits 1 when the copy lacks a migration this build has.

            Example: nflc db restore-check --to 2026-12-01T14:30:00Z
            """)
        { to };
        CliContext.Run(restoreCheck, async (cli, parse, cancellationToken) =>
        {
            var report = await new PgBackRest(BackupSettings(cli)).RestoreCheckAsync(cli.Settings.Postgres, parse.GetValue(to), cancellationToken).ConfigureAwait(false);
            cli.Print(report, () =>
            {
                cli.Console.MarkupLineInterpolated($"Restored in {report.RestoreSeconds:F1} s; latest migration {report.LatestMigration}; results checksum {report.ResultsChecksum}.");
                var table = new Table().AddColumns("Table", "Rows");
                foreach (var (name, rows) in report.RowCounts)
                {
                    table.AddRow(Markup.Escape(name), rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
                }

                cli.Console.Write(table);
            });
            return report.LatestMigration == MigrationCatalog.Embedded.Max(m => m.Version) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return restoreCheck;
    }

    private static Command Prune()
    {
        var olderThan = new Option<string?>("--older-than") { Description = "Prune now what ended longer ago than this: 90d, 12h, 30m, or a TimeSpan." };
        var keep = new Option<string?>("--keep") { Description = "Instead of pruning now, keep this much history (at least 1h) and prune by it on the built-in db-prune schedule." };
        var cron = new Option<string>("--cron") { Description = "With --keep: when the db-prune schedule runs (cron, UTC).", DefaultValueFactory = _ => "0 5 * * *" };
        var withResults = new Option<bool>("--results") { Description = "Delete those tasks' results (and their audit rows) too; kept otherwise." };
        var prune = new Command("prune", """
            Delete the grid's task history that ended before a cutoff: task rows and their attempts,
            and with --results their results and audit rows. Model metrics, regressions and datasets stay.
            Run as the database owner (workers and the dashboard cannot delete). With --keep, set the
            retention instead and let the built-in db-prune schedule apply it (a worker runs it, through
            a function that reads the retention itself, so it can delete nothing newer).

            Examples:
              nflc db prune --older-than 90d
              nflc db prune --keep 90d              # then daily at 05:00 UTC
              nflc schedule remove db-prune         # stop the scheduled prune
            """)
        { olderThan, keep, cron, withResults };
        CliContext.Run(prune, async (cli, parse, cancellationToken) =>
        {
            var (once, kept) = (parse.GetValue(olderThan), parse.GetValue(keep));
            if ((once is null) == (kept is null))
            {
                return CliContext.Fail("give exactly one of --older-than (prune now) and --keep (prune on a schedule).", ExitCodes.Usage);
            }

            if (Durations.Parse(once ?? kept!) is not { } age)
            {
                return CliContext.Fail($"'{once ?? kept}' is not a duration; give e.g. 90d, 12h or 30m.", ExitCodes.Usage);
            }

            var db = cli.OpenPostgres();
            await using (db.ConfigureAwait(false))
            {
                var pruner = new HistoryPruner(db, cli.Settings.Queue.Namespace);
                if (kept is not null)
                {
                    if (age < TimeSpan.FromHours(1))
                    {
                        return CliContext.Fail($"--keep {kept} is under an hour; keep at least 1h of history.", ExitCodes.Usage);
                    }

                    await pruner.SetRetentionAsync(new HistoryRetention(age, parse.GetValue(withResults)), cancellationToken).ConfigureAwait(false);
                    var client = await cli.ConnectAsync().ConfigureAwait(false);
                    await using (client.ConfigureAwait(false))
                    {
                        // A definition that cannot be scheduled (a bad --cron) is an ArgumentException: exit 2.
                        await client.Queue.PutScheduleAsync(DbPruneSchedule(parse.GetValue(cron)!)).ConfigureAwait(false);
                        var state = (await client.Queue.GetScheduleAsync(DbPruneSchedule("").Name).ConfigureAwait(false))!;
                        cli.Print(new { keepDays = age.TotalDays, withResults = parse.GetValue(withResults), schedule = state }, () =>
                            cli.Console.MarkupLineInterpolated($"Keeping {age.TotalDays:0.##} days of history{(parse.GetValue(withResults) ? ", results included" : "")}; schedule db-prune next runs {state.NextTick:u}."));
                        return ExitCodes.Ok;
                    }
                }

                var cutoff = DateTimeOffset.UtcNow - age;
                var report = await pruner.PruneAsync(cutoff, parse.GetValue(withResults), cancellationToken).ConfigureAwait(false);
                cli.Print(new { cutoff, report.Tasks, report.Attempts, report.Results, report.AuditRows }, () =>
                    cli.Console.MarkupLineInterpolated($"Pruned what ended before {cutoff:u}: {report.Tasks:N0} tasks, {report.Attempts:N0} attempts, {report.Results:N0} results, {report.AuditRows:N0} audit rows."));
                return ExitCodes.Ok;
            }
        });
        return prune;
    }

    /// <summary>The built-in schedule of the history prune (its job reads the retention from Postgres).</summary>
    internal static ScheduleDefinition DbPruneSchedule(string cron) => new()
    {
        Name = "db-prune",
        Cron = cron,
        Kind = Core.Jobs.JobKinds.DbPrune,
        Payload = "{}",
        Missed = MissedTicks.RunOnce,
    };

    private static BackupOptions BackupSettings(CliContext cli) =>
        cli.Settings.Configuration.GetSection("Backup").Get<BackupOptions>() ?? new BackupOptions();
}
