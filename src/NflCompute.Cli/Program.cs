using System.CommandLine;
using NflCompute.Core;
using NflCompute.Cli;
using NflCompute.Cli.Commands;

// nflc: operate an NflCompute grid. Every command takes --config, --set and --json.
var root = new RootCommand("""
    nflc: operate an NflCompute grid.

    Settings come from ./nflc.json (or --config FILE), then NFLC_* environment variables
    (NFLC_Postgres__Host), then --set Section:Key=value flags.
    Exit codes: 0 ok, 1 failed, 2 usage, 3 bad configuration, 4 server unreachable, 5 not found, 6 timed out.
    """);
root.Options.Add(CliContext.ConfigOption);
root.Options.Add(CliContext.SetOption);
root.Options.Add(CliContext.JsonOption);
root.Subcommands.Add(DevCommands.Create());
root.Subcommands.Add(DbCommands.Create());
root.Subcommands.Add(GridCommands.Create());
root.Subcommands.Add(WorkerCommand.Create());
foreach (var command in TaskCommands.Create())
{
    root.Subcommands.Add(command);
}

root.Subcommands.Add(DlqCommands.Create());
root.Subcommands.Add(ScheduleCommands.Create());
root.Subcommands.Add(LoadGamesCommand.Create());
root.Subcommands.Add(StandingsCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(DashboardCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
var parsed = root.Parse(args);
// With OTEL_* set, a command's spans (a submission's trace starts here) go out with OTLP; a worker
// run by nflc sets up its own.
using var tracing = parsed.CommandResult.Command.Name == "worker" ? null : NflCompute.Worker.Observability.WorkerTracing.StartForProcess("nflc");
var code = await parsed.InvokeAsync().ConfigureAwait(false);
return parsed.Errors.Count > 0 ? ExitCodes.Usage : code;
