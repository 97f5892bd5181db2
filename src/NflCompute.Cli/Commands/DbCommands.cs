using System.CommandLine;
using NflCompute.Core;
using NflCompute.Storage;
using NflCompute.Storage.Migrations;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc db migrate|status</c>: the schema's versioned migrations.</summary>
internal static class DbCommands
{
    public static Command Create()
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

        var db = new Command("db", "The Postgres schema: migrate, status.");
        db.Subcommands.Add(migrate);
        db.Subcommands.Add(status);
        return db;
    }
}
