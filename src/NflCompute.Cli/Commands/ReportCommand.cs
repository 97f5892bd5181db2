using System.CommandLine;
using NflCompute.Core;
using NflCompute.Dashboard.Reports;
using NflCompute.Storage.Results;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc report TASK... --html FILE</c>: tasks' results as one self-contained HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var tasks = new Argument<string[]>("tasks") { Description = "Task ids whose results go in the report.", Arity = ArgumentArity.OneOrMore };
        var html = new Option<FileInfo>("--html") { Description = "The HTML file to write.", Required = true };
        var command = new Command("report", """
            Write tasks' results as one HTML page: a chart in plain SVG beside a table of the same
            numbers for each (model comparisons as forest plots, regression checks in words, season
            simulations as odds per team), and the results as JSON in the page. No scripts, no
            network: it opens offline and prints as it looks.

            Example: nflc report 01jf3w8q2k7m4n9p5r6s 01jf3w8q2k7m4n9p5r6t --html week12.html
            """)
        { tasks, html };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            var (results, missing) = await ReadAsync(cli, parse.GetValue(tasks)!, cancellationToken).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                return CliContext.Fail($"task {missing[0]} has no result in Postgres (not finished, failed, or another grid's).", ExitCodes.NotFound);
            }

            var file = parse.GetValue(html)!;
            await File.WriteAllTextAsync(file.FullName, ResultReport.Html(results), cancellationToken).ConfigureAwait(false);
            cli.Print(new { file = file.FullName, tasks = results.Count }, () => cli.Console.WriteLine($"Wrote {results.Count} results to {file.FullName}."));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The tasks' results from Postgres, in the order given, and the ids that have none.</summary>
    internal static async Task<(List<ReportedResult> Found, List<string> Missing)> ReadAsync(CliContext cli, IEnumerable<string> taskIds, CancellationToken cancellationToken)
    {
        var (found, missing) = (new List<ReportedResult>(), new List<string>());
        var db = cli.OpenPostgres();
        await using (db.ConfigureAwait(false))
        {
            var store = new ResultStore(db, cli.Settings.Queue.Namespace);
            foreach (var id in taskIds)
            {
                if (await store.ReadWithKindAsync(id, cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    found.Add(new ReportedResult(id, stored.Kind, stored.ResultJson));
                }
                else
                {
                    missing.Add(id);
                }
            }
        }

        return (found, missing);
    }
}
