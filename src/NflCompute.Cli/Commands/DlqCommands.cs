using System.CommandLine;
using Spectre.Console;
using NflCompute.Core;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc dlq list|show|requeue|purge</c>: tasks that could not run, with their reasons.</summary>
internal static class DlqCommands
{
    public static Command Create() =>
        new("dlq", "The dead-letter queue: tasks that could not run, with their reasons.") { List(), Show(), Requeue(), Purge() };

    private static Command List()
    {
        var count = new Option<int>("--count") { Description = "Entries to show.", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List dead letters, newest first, with their reasons.\n\nExample: nflc dlq list --count 10 --json") { count };
        CliContext.Run(list, async (cli, parse, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var page = await client.DeadLettersAsync(0, parse.GetValue(count)).ConfigureAwait(false);
                cli.Print(page, () =>
                {
                    var table = new Table().AddColumns("task", "kind", "class", "attempts", "failed at", "reason").Title($"{page.Total} dead letters");
                    foreach (var d in page.Items)
                    {
                        table.AddRow(d.Id, d.Kind, d.Class, d.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), d.FailedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(d.Error));
                    }

                    cli.Console.Write(table);
                });
                return ExitCodes.Ok;
            }
        });

        return list;
    }

    private static Command Show()
    {
        var task = new Argument<string>("task") { Description = "The dead letter's task id." };
        var show = new Command("show", "Show one dead letter: the task, its payload and its reason.\n\nExample: nflc dlq show 3f2a9c01bd") { task };
        CliContext.Run(show, async (cli, parse, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var info = await client.StatusAsync(parse.GetValue(task)!).ConfigureAwait(false);
                if (info.State != Core.TaskState.Failed)
                {
                    return CliContext.Fail($"task {info.Id} is {info.State}, not in the dead-letter queue.", ExitCodes.NotFound);
                }

                cli.Print(info, () => cli.Console.MarkupLineInterpolated($"[bold]{info.Id}[/] {info.Kind} on {info.Class}, {info.Attempts} attempts\n[red]{info.Error}[/]\npayload: {info.Payload}"));
                return ExitCodes.Ok;
            }
        });

        return show;
    }

    private static Command Requeue()
    {
        var all = new Option<bool>("--all") { Description = "Requeue every dead letter." };
        var requeueTask = new Argument<string?>("task") { Description = "The task to requeue.", Arity = ArgumentArity.ZeroOrOne };
        var requeue = new Command("requeue", "Put a dead letter (or --all) back in its queue with fresh attempts.\n\nExamples:\n  nflc dlq requeue 3f2a9c01bd\n  nflc dlq requeue --all") { requeueTask, all };
        CliContext.Run(requeue, async (cli, parse, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                if (parse.GetValue(all))
                {
                    var n = await client.Queue.RequeueAllDeadLettersAsync().ConfigureAwait(false);
                    cli.Print(new { requeued = n }, () => cli.Console.WriteLine($"Requeued {n}."));
                    return ExitCodes.Ok;
                }

                if (parse.GetValue(requeueTask) is not { } id)
                {
                    return CliContext.Fail("name a task or give --all.", ExitCodes.Usage);
                }

                await client.Queue.RequeueDeadLetterAsync(id).ConfigureAwait(false);
                cli.Print(new { requeued = 1, id }, () => cli.Console.WriteLine($"Requeued {id}."));
                return ExitCodes.Ok;
            }
        });

        return requeue;
    }

    private static Command Purge()
    {
        var before = new Option<DateTimeOffset?>("--failed-before") { Description = "Only dead letters that failed before this time." };
        var purge = new Command("purge", "Delete dead letters for good (all, or those that failed before a time).\n\nExample: nflc dlq purge --failed-before 2026-11-01") { before };
        CliContext.Run(purge, async (cli, parse, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var n = await client.Queue.PurgeDeadLettersAsync(parse.GetValue(before)).ConfigureAwait(false);
                cli.Print(new { purged = n }, () => cli.Console.WriteLine($"Purged {n}."));
                return ExitCodes.Ok;
            }
        });

        return purge;
    }
}
