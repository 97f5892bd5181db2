using NflCompute.Core;
using NflCompute.Core.Datasets;
using System.CommandLine;
using System.Text.Json;
using NflCompute.Core.Jobs;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc load-games [FILE]</c>: a games CSV into Postgres through the grid.</summary>
internal static class LoadGamesCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("file") { Description = "A games CSV in the shipped schema; without one, the shipped games (1999-2025).", Arity = ArgumentArity.ZeroOrOne };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long to wait for the load.", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var command = new Command("load-games", """
            Load games into Postgres: every row is checked; good rows are upserted (loading twice changes
            nothing), bad rows are kept in games_quarantine and listed with line, column and reason.
            Needs a running worker (nflc worker). Exit 0 even when rows were quarantined: read the summary.

            Examples:
              nflc load-games
              nflc load-games my-games.csv --json
            """)
        { file, timeout };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var spec = new LoadGamesSpec();
                if (parse.GetValue(file) is { } csv)
                {
                    if (!csv.Exists)
                    {
                        return CliContext.Fail($"{csv.FullName} does not exist.", ExitCodes.NotFound);
                    }

                    // Bytes that are not UTF-8 are refused with their offset, not loaded as U+FFFD.
                    var bytes = await File.ReadAllBytesAsync(csv.FullName, cancellationToken).ConfigureAwait(false);
                    if (DatasetEncoding.DecodeText(bytes) is not { } text)
                    {
                        return CliContext.Fail($"{csv.FullName} is not valid UTF-8 at byte {DatasetEncoding.InvalidUtf8At(bytes):N0}; save it as UTF-8.", ExitCodes.Failed);
                    }

                    spec = new LoadGamesSpec(await client.UploadTextAsync(text).ConfigureAwait(false), csv.Name);
                }

                var id = await client.SubmitAsync(spec).ConfigureAwait(false);
                var wait = () => client.WaitAsync(id, parse.GetValue(timeout), cancellationToken);
                var result = cli.JsonOutput ? await wait().ConfigureAwait(false) : await cli.Console.Status().StartAsync($"Loading games (task {id})...", _ => wait()).ConfigureAwait(false);
                var json = await TaskCommands.ResultTextAsync(cli, result, cancellationToken).ConfigureAwait(false);
                using var summary = JsonDocument.Parse(json);
                var r = summary.RootElement;
                cli.Print(r, () =>
                {
                    cli.Console.MarkupLineInterpolated($"[bold]{r.GetProperty("source").GetString()}[/]: {r.GetProperty("rows").GetInt32():N0} rows, {r.GetProperty("new").GetInt32():N0} new, {r.GetProperty("changed").GetInt32():N0} changed, {r.GetProperty("unchanged").GetInt32():N0} unchanged, {r.GetProperty("quarantined").GetInt32():N0} quarantined");
                    if (r.GetProperty("quarantined").GetInt32() > 0)
                    {
                        var table = new Table().AddColumns("line", "column", "reason");
                        foreach (var p in r.GetProperty("problems").EnumerateArray())
                        {
                            table.AddRow(p.GetProperty("line").ToString(), p.GetProperty("column").ToString(), Markup.Escape(p.GetProperty("reason").GetString() ?? ""));
                        }

                        cli.Console.Write(table);
                    }
                });
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
