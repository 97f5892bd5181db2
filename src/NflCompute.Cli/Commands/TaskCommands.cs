using System.CommandLine;
using System.Text.Json;
using NflCompute.Core;
using NflCompute.Client;
using NflCompute.Core.Jobs;
using NflCompute.Queue;
using NflCompute.Storage.Tasks;
using NflCompute.Storage.Results;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc submit</c>, <c>status</c>, <c>results</c>, <c>watch</c>: tasks and the queue.</summary>
internal static class TaskCommands
{
    public static IEnumerable<Command> Create() => [Submit(), Status(), Results(), Watch()];

    private static Command Submit()
    {
        var kind = new Argument<string>("kind") { Description = $"The job kind: {string.Join(", ", JobKinds.Specs.Keys)}." };
        var payload = new Option<string?>("--payload") { Description = "The job spec as JSON, e.g. '{\"season\": 2025}'." };
        var payloadFile = new Option<FileInfo?>("--payload-file") { Description = "Read the job spec from a JSON file." };
        var priority = new Option<int>("--priority") { Description = "Higher runs first (0..1000000)." };
        var hardware = new Option<string>("--class") { Description = "Hardware class: cpu, gpu or gpu-high.", DefaultValueFactory = _ => "cpu" };
        var key = new Option<string?>("--idempotency-key") { Description = "The same key returns the first task instead of a second." };
        var onDuplicate = new Option<DuplicatePolicy>("--on-duplicate") { Description = "With --idempotency-key, what a repeat does: FirstWins (default), Extend (restart the key's window), Replace (a not-yet-started task takes this payload) or KeepLastIfActive (one running and one waiting per key)." };
        var dependsOn = new Option<string[]>("--depends-on") { Description = "A task that must complete first (repeatable)." };
        var onParentFailure = new Option<ParentFailurePolicy>("--on-parent-failure") { Description = "With --depends-on, what this task does when a parent fails or is cancelled: Fail (default), Cancel, Ignore (run once every parent ended) or Wait (until the failed parent is requeued and completes)." };
        var correlation = new Option<string?>("--correlation-id") { Description = "Carried into every log line of the task." };
        var wait = new Option<bool>("--wait") { Description = "Wait for the task and print its result." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --wait waits.", DefaultValueFactory = _ => TimeSpan.FromMinutes(10) };
        var custom = new Option<bool>("--custom") { Description = "A kind of your own, run by your own worker program (see samples/CustomJob): the payload is sent as given, checked only to be a JSON object." };
        var command = new Command("submit", """
            Queue a job. The spec is checked against the kind's schema before it is queued.

            Examples:
              nflc submit season-sim --payload '{"season": 2025, "simulations": 100000}' --wait
              nflc submit elo-sweep --payload '{"k": [15, 20, 25], "homeEdge": [45, 65]}' --priority 10
              nflc submit noop --idempotency-key nightly-2025-11-22 --json
              nflc submit home-win-rate --custom --payload '{"outcomes": "sha256:..."}' --wait

            Prints the task id ({"id", "kind"} with --json); with --wait, the result ({"id", "kind",
            "result"} with --json). Exit codes: 1 the task failed (its reason on stderr), 2 an unknown
            kind or a spec that does not fit it, 6 --wait timed out.
            """)
        { kind, payload, payloadFile, priority, hardware, key, onDuplicate, dependsOn, onParentFailure, correlation, wait, timeout, custom };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            var name = parse.GetValue(kind)!;
            var json = parse.GetValue(payloadFile) is { } file ? await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false) : parse.GetValue(payload) ?? "{}";
            var (spec, problem) = ParseSpec(name, json, parse.GetValue(custom));
            if (spec is null)
            {
                return CliContext.Fail(problem!, ExitCodes.Usage);
            }

            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var id = await client.SubmitAsync(spec, new SubmitOptions
                {
                    Priority = parse.GetValue(priority),
                    Class = parse.GetValue(hardware)!,
                    IdempotencyKey = parse.GetValue(key),
                    OnDuplicate = parse.GetValue(onDuplicate),
                    DependsOn = parse.GetValue(dependsOn) ?? [],
                    OnParentFailure = parse.GetValue(onParentFailure),
                    CorrelationId = parse.GetValue(correlation),
                }).ConfigureAwait(false);
                if (!parse.GetValue(wait))
                {
                    cli.Print(new { id, kind = name }, () => cli.Console.WriteLine(id));
                    return ExitCodes.Ok;
                }

                var result = await WaitShowingProgressAsync(cli, client, id, parse.GetValue(timeout), cancellationToken).ConfigureAwait(false);
                var text = await ResultTextAsync(cli, result, cancellationToken).ConfigureAwait(false);
                cli.Console.Profile.Out.Writer.WriteLine(cli.JsonOutput
                    ? JsonSerializer.Serialize(new { id, kind = name, result = JsonDocument.Parse(text).RootElement }, CliContext.Json)
                    : Pretty(text));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    // The typed spec of a kind the grid ships, or with --custom the payload as given; else what is wrong.
    private static (IJobSpec? Spec, string? Problem) ParseSpec(string name, string json, bool custom)
    {
        try
        {
            if (custom)
            {
                return CustomJobSpec.KindProblem(name) is { } problem ? (null, problem) : (CustomJobSpec.Parse(name, json), null);
            }

            return JobKinds.Specs.TryGetValue(name, out var type)
                ? ((IJobSpec)(JobJson.DeserializeSpec(json, type) ?? throw new JsonException("the spec is null")), null)
                : (null, $"unknown job kind '{name}'; the grid runs {string.Join(", ", JobKinds.Specs.Keys)} (for a kind of your own, add --custom).");
        }
        catch (JsonException e)
        {
            return (null, $"the {name} spec is not valid at {e.Path ?? "$"}: {e.Message}");
        }
    }

    private static Command Status()
    {
        var task = new Argument<string?>("task") { Description = "A task id; without one, the queue's depth per class and state.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", """
            Show one task, or the whole queue: tasks per class and state, workers, the dead-letter queue.

            Examples:
              nflc status
              nflc status 3f2a9c01bd --json
            """)
        { task };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                if (parse.GetValue(task) is { } id)
                {
                    var info = await client.StatusAsync(id).ConfigureAwait(false);
                    var eta = await EtaAsync(cli, client, info, cancellationToken).ConfigureAwait(false);
                    var shown = JsonSerializer.SerializeToNode(info with { Payload = info.Payload.Length > 2000 ? info.Payload[..2000] + "..." : info.Payload, Result = null }, CliContext.Json)!.AsObject();
                    shown["eta"] = eta;
                    cli.Print(shown, () =>
                    {
                        var grid = new Grid().AddColumns(2);
                        foreach (var (name, value) in new (string, object?)[] { ("task", info.Id), ("kind", info.Kind), ("state", info.State), ("class", info.Class), ("priority", info.Priority), ("attempts", info.Attempts), ("worker", info.Worker), ("progress", info.Progress is { } p ? $"{p.Fraction:P0} {p.Message}" : null), ("expected end", eta), ("submitted", info.SubmittedAt), ("finished", info.FinishedAt), ("error", info.Error), ("correlation", info.CorrelationId) })
                        {
                            grid.AddRow(new Markup($"[grey]{name}[/]"), new Text(value?.ToString() ?? ""));
                        }

                        cli.Console.Write(grid);
                    });
                    return ExitCodes.Ok;
                }

                var counts = await client.Queue.GetCountsAsync().ConfigureAwait(false);
                var overview = cli.JsonOutput ? null : await client.Queue.GetOverviewAsync().ConfigureAwait(false);
                cli.Print(counts, () => cli.Console.Write(CountsTable(counts, overview)));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    // When a running or pending task should finish, from its kind's history in Postgres; null
    // when it is neither, the kind has no history, or Postgres cannot be read (the status is Redis's).
    private static async Task<DateTimeOffset?> EtaAsync(CliContext cli, GridClient client, TaskInfo info, CancellationToken cancellationToken)
    {
        if (info.State is not (TaskState.Running or TaskState.Pending))
        {
            return null;
        }

        RunTimeEstimates estimates;
        try
        {
            var db = cli.OpenPostgres();
            await using (db.ConfigureAwait(false))
            {
                estimates = new RunTimeEstimates(await new TaskHistory(db, cli.Settings.Queue.Namespace).DurationsAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or Core.Errors.OptionsValidationException)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var workers = (await client.Queue.GetOverviewAsync().ConfigureAwait(false)).Workers;
        if (info.State == TaskState.Running)
        {
            var running = (await client.Queue.ListRunningAsync(1000).ConfigureAwait(false)).Items.FirstOrDefault(r => r.Id == info.Id);
            var device = workers.FirstOrDefault(w => w.WorkerId == info.Worker)?.Profile.GetValueOrDefault("device");
            return estimates.RunningUntil(info.Kind, device, running?.ClaimedAt ?? now);
        }

        var ahead = (await client.Queue.GetCountsAsync().ConfigureAwait(false)).PendingByClass.GetValueOrDefault(info.Class);
        var slots = workers.Where(w => w.Claims(info.Class))
            .Sum(w => int.TryParse(w.Profile.GetValueOrDefault("concurrency"), System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : 1);
        return estimates.PendingUntil(info.Kind, Math.Max(0, ahead - 1), slots, now);
    }

    // Waits for a task with its progress on screen: a live bar on a terminal, a line per change
    // on stderr otherwise, nothing with --json (stdout stays the result alone).
    private static async Task<JobResult> WaitShowingProgressAsync(CliContext cli, GridClient client, string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cli.JsonOutput)
        {
            return await client.WaitAsync(id, timeout, cancellationToken).ConfigureAwait(false);
        }

        if (!cli.Console.Profile.Capabilities.Interactive)
        {
            return await client.WaitAsync(id, timeout, new Reported<JobProgress>(p => Console.Error.WriteLine($"{id}: {p.Fraction:P0} {p.Message}")), cancellationToken).ConfigureAwait(false);
        }

        return await cli.Console.Progress().AutoClear(true).StartAsync(async context =>
        {
            var bar = context.AddTask(id, maxValue: 1);
            var result = await client.WaitAsync(id, timeout, new Reported<JobProgress>(p =>
            {
                bar.Value = p.Fraction;
                bar.Description = Markup.Escape(p.Message ?? id);
            }), cancellationToken).ConfigureAwait(false);
            bar.Value = 1;
            return result;
        }).ConfigureAwait(false);
    }

    // Reports on the caller's thread, in order (Progress<T> posts each one to the thread pool).
    private sealed class Reported<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>A class's limits in words: "at most 4 running (2 now), 600 per 00:01:00", or "no limits".</summary>
    internal static string LimitsText(ClassLimits limits)
    {
        var parts = new List<string>();
        if (limits.MaxRunning is { } most)
        {
            parts.Add(FormattableString.Invariant($"at most {most} running ({limits.Running ?? 0} now)"));
        }

        if (limits.Rate is { } rate)
        {
            parts.Add(FormattableString.Invariant($"{rate.Tasks} started per {rate.Per}"));
        }

        return parts.Count == 0 ? "no limits" : string.Join(", ", parts);
    }

    internal static Table CountsTable(QueueCounts counts, QueueOverview? overview = null)
    {
        static string N(long v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("", "tasks");
        foreach (var (name, pending) in counts.PendingByClass.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            table.AddRow(counts.Paused.TryGetValue(name, out var since) ? $"pending · {name} (paused since {since:u})" : $"pending · {name}", N(pending));
        }

        foreach (var (name, limits) in counts.Limits.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            table.AddRow($"limits · {name}", LimitsText(limits));
        }

        // Fair share's turns: who has tasks queued in each class, most first.
        foreach (var (name, bySubmitter) in (overview?.PendingBySubmitter ?? new Dictionary<string, IReadOnlyDictionary<string, long>>()).Where(p => p.Value.Count > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape($"queued by · {name}"), Markup.Escape(string.Join(", ", bySubmitter.OrderByDescending(s => s.Value).Select(s => $"{(s.Key.Length == 0 ? "(none given)" : s.Key)} {N(s.Value)}"))));
        }

        table.AddRow("waiting on dependencies", N(counts.Waiting));
        table.AddRow("delayed (retry backoff)", N(counts.Delayed));
        table.AddRow("running", N(counts.Running));
        table.AddRow("dead letters", N(counts.DeadLetters));
        table.AddRow("completed / failed / cancelled (all time)", $"{N(counts.CompletedTotal)} / {N(counts.FailedTotal)} / {N(counts.CancelledTotal)}");
        table.AddRow("live workers", N(counts.Workers));
        return table;
    }

    private static Command Results()
    {
        var task = new Argument<string>("task") { Description = "The task id." };
        var command = new Command("results", """
            Print a task's result from Postgres (every result is kept there; Redis keeps small ones for a day).

            Example: nflc results 3f2a9c01bd --json | jq .teams
            """)
        { task };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            var text = await ResultFromPostgresAsync(cli, parse.GetValue(task)!, cancellationToken).ConfigureAwait(false);
            cli.Console.Profile.Out.Writer.WriteLine(cli.JsonOutput ? text : Pretty(text));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Watch()
    {
        var interval = new Option<TimeSpan>("--interval") { Description = "Refresh period.", DefaultValueFactory = _ => TimeSpan.FromSeconds(1) };
        var times = new Option<int>("--times") { Description = "Stop after this many refreshes (0: until Ctrl-C).", DefaultValueFactory = _ => 0 };
        var command = new Command("watch", """
            Live queue depth per class and state, refreshed until Ctrl-C.

            Example: nflc watch --interval 00:00:02
            """)
        { interval, times };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var (every, left) = (parse.GetValue(interval), parse.GetValue(times));
                var counts = await client.Queue.GetCountsAsync().ConfigureAwait(false);
                await cli.Console.Live(CountsTable(counts)).StartAsync(async live =>
                {
                    for (var n = 1; !cancellationToken.IsCancellationRequested && (left == 0 || n < left); n++)
                    {
                        await Task.Delay(every, cancellationToken).ConfigureAwait(false);
                        live.UpdateTarget(CountsTable(await client.Queue.GetCountsAsync().ConfigureAwait(false)));
                    }
                }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    // A result comes back through Redis when small; a big one is read from Postgres.
    internal static async Task<string> ResultTextAsync(CliContext cli, JobResult result, CancellationToken cancellationToken) =>
        result.Json is { Length: > 0 } inline ? inline : await ResultFromPostgresAsync(cli, result.TaskId, cancellationToken).ConfigureAwait(false);

    internal static async Task<string> ResultFromPostgresAsync(CliContext cli, string id, CancellationToken cancellationToken)
    {
        var db = cli.OpenPostgres();
        await using (db.ConfigureAwait(false))
        {
            var stored = await new ResultStore(db, cli.Settings.Queue.Namespace).ReadAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new Core.Errors.TaskNotFoundException(id);
            return stored.ResultJson;
        }
    }

    internal static string Pretty(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, CliContext.Json);
}
