using System.CommandLine;
using NflCompute.Core;
using NflCompute.Queue;
using NflCompute.Queue.Redis;
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
            warn where their own settings differ, they never write them. With Roles:RedisPasswordsDir
            set, also create the grid's Redis users (nflc-<role>-<namespace> for submitter, worker,
            dashboard and admin), each limited to the grid's keys. Idempotent.

            Example: nflc grid configure --set Queue:MaxAttempts=5
            """);
        CliContext.Run(configure, async (cli, _, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var users = await ConfigureAsync(cli, client).ConfigureAwait(false);
                var queue = cli.Settings.Queue;
                cli.Print(new { queue.Namespace, queue.Classes, redisUsers = users }, () =>
                    cli.Console.MarkupLineInterpolated($"Grid {queue.Namespace} configured: classes {string.Join(", ", queue.Classes)}{(users.Count > 0 ? $"; Redis users {string.Join(", ", users)}" : "")}."));
                return ExitCodes.Ok;
            }
        });

        var grid = new Command("grid", "The grid's settings in Redis: configure; pause, resume and limit classes.");
        grid.Subcommands.Add(configure);
        grid.Subcommands.Add(PauseOrResume(pause: true));
        grid.Subcommands.Add(PauseOrResume(pause: false));
        grid.Subcommands.Add(Limit());
        return grid;
    }

    private static Command Limit()
    {
        var cls = new Argument<string>("class") { Description = "A hardware class (the grid's Queue:Classes)." };
        var maxRunning = new Option<int?>("--max-running") { Description = "Most of its tasks running at once, grid-wide (1: one at a time, in order)." };
        var rate = new Option<string?>("--rate") { Description = "Most started per window, N/DURATION (10/1s, 600/1m)." };
        var command = new Command("limit", "Set a class's limits: --max-running and --rate; neither clears them. Tasks already running finish.\n\nExamples:\n  nflc grid limit gpu --max-running 4\n  nflc grid limit cpu --rate 600/1m\n  nflc grid limit cpu")
        { cls, maxRunning, rate };
        CliContext.Run(command, async (cli, parse, _) =>
        {
            var name = parse.GetValue(cls)!;
            RateLimit? parsedRate;
            try
            {
                parsedRate = parse.GetValue(rate) is { } text ? RateLimit.Parse(text) : null;
            }
            catch (FormatException e)
            {
                return CliContext.Fail(e.Message, ExitCodes.Usage);
            }

            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                // A limit below 1 or an unknown class is an ArgumentException: exit 2.
                await client.Queue.SetLimitsAsync(name, new ClassLimits(parse.GetValue(maxRunning), parsedRate)).ConfigureAwait(false);
                var limits = (await client.Queue.GetCountsAsync().ConfigureAwait(false)).Limits.GetValueOrDefault(name, ClassLimits.None);
                cli.Print(new { @class = name, limits.MaxRunning, rate = limits.Rate is { } r ? $"{r.Tasks}/{r.Per}" : null, limits.Running }, () =>
                    cli.Console.MarkupLineInterpolated($"{name}: {TaskCommands.LimitsText(limits)}."));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static Command PauseOrResume(bool pause)
    {
        var classes = new Argument<string[]>("class") { Description = "Hardware classes (the grid's Queue:Classes).", Arity = ArgumentArity.OneOrMore };
        var command = new Command(pause ? "pause" : "resume", pause
            ? "Pause hardware classes: no worker claims their tasks until they are resumed. Their\ntasks stay pending, in order; tasks already running finish. nflc status shows them.\n\nExample: nflc grid pause gpu gpu-high"
            : "Resume paused classes: workers claim their tasks at once.\n\nExample: nflc grid resume gpu gpu-high")
        { classes };
        CliContext.Run(command, async (cli, parse, _) =>
        {
            var names = parse.GetValue(classes)!;
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                // An unknown class is an ArgumentException: exit 2, naming the grid's classes.
                await (pause ? client.PauseAsync(names) : client.ResumeAsync(names)).ConfigureAwait(false);

                var paused = (await client.Queue.GetCountsAsync().ConfigureAwait(false)).Paused.Keys.Order(StringComparer.Ordinal).ToList();
                cli.Print(new { paused }, () =>
                    cli.Console.MarkupLineInterpolated($"{(pause ? "Paused" : "Resumed")} {string.Join(", ", names)}; paused now: {(paused.Count == 0 ? "none" : string.Join(", ", paused))}."));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>
    /// The admin step, shared with the demo: the grid's settings, and its Redis users when
    /// Roles:RedisPasswordsDir is set (a missing password file is generated, readable by its owner
    /// only). Returns the users made.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ConfigureAsync(CliContext cli, NflCompute.Client.GridClient client)
    {
        await client.Queue.ConfigureAsync().ConfigureAwait(false);
        if (cli.Settings.Roles.RedisPasswordsDir is not { } dir)
        {
            return [];
        }

        Directory.CreateDirectory(dir);
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in RedisRoles.All)
        {
            var file = cli.Settings.Roles.RedisPasswordFileOf(role)!;
            if (!File.Exists(file))
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                // Created with its mode, never readable by others even for a moment.
                using var stream = new FileStream(file, options);
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));
            }

            passwords[role] = (await File.ReadAllTextAsync(file).ConfigureAwait(false)).Trim();
        }

        var admin = await RedisGateway.ConnectAsync(cli.Settings.Redis).ConfigureAwait(false);
        await using (admin.ConfigureAwait(false))
        {
            await RedisRoles.SetUsersAsync(admin, cli.Settings.Queue.Namespace, passwords).ConfigureAwait(false);
        }

        return [.. RedisRoles.All.Select(r => RedisRoles.UserOf(r, cli.Settings.Queue.Namespace))];
    }
}
