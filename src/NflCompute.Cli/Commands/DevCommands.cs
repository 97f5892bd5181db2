using System.CommandLine;
using System.Diagnostics;
using NflCompute.Core;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc dev up|down|status</c>: the local Redis and Postgres on loopback (deploy/local).</summary>
internal static class DevCommands
{
    public static Command Create()
    {
        var dev = new Command("dev", "The local grid's servers: Redis and Postgres on 127.0.0.1, data in .local/ (installs what is missing).");
        foreach (var (name, script, help) in new[]
        {
            ("up", "up.sh", "Install what is missing, start Redis (16379) and Postgres (15432), create the database, write .local/nflc.json.\n\nExample: nflc dev up"),
            ("down", "down.sh", "Stop the local servers (data stays in .local/).\n\nExample: nflc dev down"),
            ("status", "status.sh", "Say whether the local servers are up.\n\nExample: nflc dev status"),
        })
        {
            var command = new Command(name, help);
            command.SetAction(async (_, cancellationToken) => await RunScriptAsync(script, cancellationToken).ConfigureAwait(false));
            dev.Subcommands.Add(command);
        }

        return dev;
    }

    /// <summary>Runs deploy/local/<paramref name="script"/> of this checkout, its output passed through.</summary>
    public static async Task<int> RunScriptAsync(string script, CancellationToken cancellationToken, bool outputToStderr = false)
    {
        if (Checkout.Find() is not { } root)
        {
            return CliContext.Fail("`nflc dev` runs inside an NflCompute checkout (it uses deploy/local/); none was found from here.", ExitCodes.Usage);
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "local", script)]) { WorkingDirectory = root, RedirectStandardOutput = outputToStderr })
            ?? throw new InvalidOperationException("bash did not start");
        if (outputToStderr)
        {
            // Keep stdout for the caller's own output (--json).
            await process.StandardOutput.BaseStream.CopyToAsync(Console.OpenStandardError(), cancellationToken).ConfigureAwait(false);
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0 ? ExitCodes.Ok : ExitCodes.Unavailable;
    }
}
