using System.CommandLine;
using NflCompute.Core;
using NflCompute.Queue;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc schedule add|list|show|pause|resume|remove|trigger</c>: recurring schedules.</summary>
internal static class ScheduleCommands
{
    public static Command Create()
    {
        var schedule = new Command("schedule", "Recurring schedules: a job submitted on each tick of a cron expression or interval, one task per tick however many workers run the scheduler.");
        schedule.Subcommands.Add(Add());
        schedule.Subcommands.Add(List());
        schedule.Subcommands.Add(ByName("show", "Show one schedule: its definition, next and last tick.", async (cli, queue, name) =>
        {
            var state = await queue.GetScheduleAsync(name).ConfigureAwait(false);
            if (state is null)
            {
                return CliContext.Fail($"no schedule named '{name}'.", ExitCodes.NotFound);
            }

            cli.Print(state, () => cli.Console.Write(Table([state])));
            return ExitCodes.Ok;
        }));
        schedule.Subcommands.Add(ByName("pause", "Pause a schedule: its ticks fire nothing until it is resumed.", async (cli, queue, name) => await Done(cli, name, "paused", queue.PauseScheduleAsync(name)).ConfigureAwait(false)));
        schedule.Subcommands.Add(ByName("resume", "Resume a paused schedule from its next tick after now.", async (cli, queue, name) => await Done(cli, name, "resumed", queue.ResumeScheduleAsync(name)).ConfigureAwait(false)));
        schedule.Subcommands.Add(ByName("remove", "Remove a schedule; the tasks it submitted stay.", async (cli, queue, name) => await Done(cli, name, "removed", queue.RemoveScheduleAsync(name)).ConfigureAwait(false)));
        schedule.Subcommands.Add(ByName("trigger", "Submit a schedule's job now, outside its ticks; prints the task id.", async (cli, queue, name) =>
        {
            var id = await queue.TriggerScheduleAsync(name).ConfigureAwait(false);
            cli.Print(new { id }, () => cli.Console.WriteLine(id));
            return ExitCodes.Ok;
        }));
        return schedule;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "The schedule's name (letters, digits, '.', '_', '-')." };
        var kind = new Argument<string>("kind") { Description = "The job to submit on each tick." };
        var cron = new Option<string?>("--cron") { Description = "A cron expression, e.g. '0 3 * * *' (five fields, or six with seconds)." };
        var zone = new Option<string>("--tz") { Description = "The time zone the cron expression is read in (IANA id).", DefaultValueFactory = _ => "UTC" };
        var every = new Option<string?>("--every") { Description = "A fixed interval instead of --cron: 30s, 5m, 1h." };
        var payload = new Option<string>("--payload") { Description = "The job's payload (JSON).", DefaultValueFactory = _ => "{}" };
        var hardware = new Option<string>("--class") { Description = "Its hardware class.", DefaultValueFactory = _ => "cpu" };
        var priority = new Option<int>("--priority") { Description = "Its priority." };
        var missed = new Option<MissedTicks>("--missed") { Description = "Ticks missed while no scheduler ran: RunOnce (default), RunAll or Skip." };
        var then = new Option<string[]>("--then") { Description = "A further job each tick runs after the one before, as KIND or KIND=PAYLOAD (repeatable, in order; a dataset the step before made is parent:NAME)." };
        var command = new Command("add", "Add a schedule, or replace the one of that name.\n\nExamples:\n  nflc schedule add nightly-elo elo-ratings --cron '0 3 * * *' --tz America/New_York\n  nflc schedule add refresh noop --every 30s --missed Skip\n  nflc schedule add nightly load-games --cron '0 4 * * *' --then elo-ratings --then 'regression-check={\"model\": \"elo\", \"version\": \"nightly\", \"outcomes\": \"parent:outcomes\", \"predictions\": \"parent:homeWinProbability\"}'")
        { name, kind, cron, zone, every, payload, hardware, priority, missed, then };
        CliContext.Run(command, async (cli, parse, _) =>
        {
            TimeSpan? interval = null;
            if (parse.GetValue(every) is { } text && (interval = Durations.Parse(text)) is null)
            {
                return CliContext.Fail($"--every '{text}' is not a duration; give e.g. 30s, 5m or 1h.", ExitCodes.Usage);
            }

            var definition = new ScheduleDefinition
            {
                Name = parse.GetValue(name)!,
                Kind = parse.GetValue(kind)!,
                Cron = parse.GetValue(cron),
                TimeZone = parse.GetValue(zone)!,
                Every = interval,
                Payload = parse.GetValue(payload)!,
                Class = parse.GetValue(hardware)!,
                Priority = parse.GetValue(priority),
                Missed = parse.GetValue(missed),
                Then = [.. (parse.GetValue(then) ?? []).Select(step => step.Split('=', 2) is [var k, var p] ? new ScheduleStep(k, p, parse.GetValue(hardware)!) : new ScheduleStep(step, "{}", parse.GetValue(hardware)!))],
            };
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                // A definition that cannot be scheduled is an ArgumentException: exit 2, naming every problem.
                await client.Queue.PutScheduleAsync(definition).ConfigureAwait(false);
                var state = (await client.Queue.GetScheduleAsync(definition.Name).ConfigureAwait(false))!;
                cli.Print(state, () => cli.Console.MarkupLineInterpolated($"Schedule {definition.Name}: next tick {state.NextTick:u}."));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the schedules with their next and last ticks.\n\nExample: nflc schedule list --json");
        CliContext.Run(command, async (cli, _, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var all = await client.Queue.ListSchedulesAsync().ConfigureAwait(false);
                cli.Print(all, () => cli.Console.Write(Table(all)));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static Command ByName(string verb, string description, Func<CliContext, TaskQueue, string, Task<int>> act)
    {
        var name = new Argument<string>("name") { Description = "The schedule's name." };
        var command = new Command(verb, $"{description}\n\nExample: nflc schedule {verb} nightly-elo") { name };
        CliContext.Run(command, async (cli, parse, _) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                return await act(cli, client.Queue, parse.GetValue(name)!).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static async Task<int> Done(CliContext cli, string name, string what, Task action)
    {
        await action.ConfigureAwait(false);
        cli.Print(new { name, state = what }, () => cli.Console.MarkupLineInterpolated($"Schedule {name} {what}."));
        return ExitCodes.Ok;
    }

    private static Table Table(IReadOnlyList<ScheduleState> schedules)
    {
        var table = new Table().AddColumns("schedule", "when", "job", "next tick", "last tick", "missed ticks");
        foreach (var s in schedules)
        {
            var d = s.Definition;
            table.AddRow(
                Markup.Escape(d.Name),
                Markup.Escape(d.Cron is { } c ? $"{c} ({d.TimeZone})" : $"every {d.Every}"),
                Markup.Escape($"{d.Kind} on {d.Class}"),
                s.Paused ? "paused" : $"{s.NextTick:u}",
                s.LastTick is { } last ? $"{last:u}" : "",
                d.Missed.ToString());
        }

        return table;
    }
}
