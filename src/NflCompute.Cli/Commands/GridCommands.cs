using System.CommandLine;
using NflCompute.Core;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc grid configure</c>: the admin step that writes the grid-wide settings.</summary>
internal static class GridCommands
{
    public static Command Create()
    {
        var configure = new Command("configure", """
            Write the grid-wide settings (Queue: aging, attempts, backoff, stalls, retention, payload
            and idempotency limits) and its classes to Redis. The admin step: workers read these and
            warn where their own settings differ, they never write them. Idempotent.

            Example: nflc grid configure --set Queue:MaxAttempts=5
            """);
        CliContext.Run(configure, async (cli, _, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                await client.Queue.ConfigureAsync().ConfigureAwait(false);
                var queue = cli.Settings.Queue;
                cli.Print(new { queue.Namespace, queue.Classes }, () =>
                    cli.Console.MarkupLineInterpolated($"Grid {queue.Namespace} configured: classes {string.Join(", ", queue.Classes)}."));
                return ExitCodes.Ok;
            }
        });

        var grid = new Command("grid", "The grid's settings in Redis: configure.");
        grid.Subcommands.Add(configure);
        return grid;
    }
}
