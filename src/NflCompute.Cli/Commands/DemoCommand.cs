using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using NflCompute.Core;
using NflCompute.Client;
using NflCompute.Core.Jobs;
using NflCompute.Queue;
using NflCompute.Storage;
using NflCompute.Storage.Migrations;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary>
/// <c>nflc demo</c>: a real grid doing real work on the shipped NFL data. Starts the local servers
/// (installing what is missing), migrates, starts two workers, submits the NFL jobs in the order
/// they build on each other, shows progress, and ends with a report of the figures and how long
/// each job took on which worker and device.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Smaller sweeps and simulations, three seasons compared (about a minute; what CI runs)." };
        var workers = new Option<int>("--workers") { Description = "Worker processes to start.", DefaultValueFactory = _ => 2 };
        var noServers = new Option<bool>("--no-servers") { Description = "Use the configured Redis and Postgres instead of starting the local ones." };
        var reportFile = new Option<FileInfo?>("--report") { Description = "Also write the demo's results as a self-contained HTML report (as nflc report does)." };
        var command = new Command("demo", """
            Run a local grid on the shipped NFL data: load the games, Elo ratings 1999-2025, an Elo
            parameter sweep, a simulation of the 2025 season from its last played week, Elo vs the
            market vs a home-rate baseline by season (with Holm across seasons), and a regression check;
            then print a report. The servers stay up afterwards (`nflc dev down` stops them).

            Examples:
              nflc demo
              nflc demo --quick --json
              nflc demo --report demo.html
            """)
        { quick, workers, noServers, reportFile };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            if (!parse.GetValue(noServers))
            {
                if (await DevCommands.RunScriptAsync("up.sh", cancellationToken, outputToStderr: true).ConfigureAwait(false) != ExitCodes.Ok)
                {
                    return CliContext.Fail("the local servers did not start (see above).", ExitCodes.Unavailable);
                }

                cli = cli.Reload(); // up.sh wrote .local/nflc.json
            }

            await PrepareDatabaseAsync(cli, cancellationToken).ConfigureAwait(false);

            var client = await cli.ConnectAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                await GridCommands.ConfigureAsync(cli, client).ConfigureAwait(false);
                var started = Stopwatch.StartNew();
                var pool = StartWorkers(parse.GetValue(workers), parse, cli.Settings.Roles, cli.Settings.Queue.Namespace);

                // Should every worker die (a port taken, a bad setting), stop waiting and say so.
                using var workersGone = CancelledWhenAllExit(pool, cancellationToken);

                try
                {
                    var report = await RunAsync(cli, client, parse.GetValue(quick), workersGone.Token).ConfigureAwait(false);
                    report.Seconds = started.Elapsed.TotalSeconds;
                    report.Workers = pool.Select(w => w.MetricsUrl + "/metrics").ToList();
                    if (parse.GetValue(reportFile) is { } html)
                    {
                        await WriteReportAsync(cli, report, html, cancellationToken).ConfigureAwait(false);
                    }

                    cli.Print(report, () => Print(cli.Console, report));
                    return ExitCodes.Ok;
                }
                catch (OperationCanceledException) when (workersGone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return CliContext.Fail("every worker stopped before the demo finished; their logs are .local/demo-worker-*.log.", ExitCodes.Failed);
                }
                finally
                {
                    await StopWorkersAsync(pool).ConfigureAwait(false);
                }
            }
        });
        return command;
    }

    // The schema, the roles' logins, and the built-in history prune: 90 days kept (the db-prune
    // schedule applies it daily).
    private static async Task PrepareDatabaseAsync(CliContext cli, CancellationToken cancellationToken)
    {
        var db = cli.OpenPostgres();
        await using (db.ConfigureAwait(false))
        {
            await new MigrationRunner(db).MigrateAsync(cancellationToken).ConfigureAwait(false);
            await StorageRoles.SetLoginsAsync(db, cli.Settings.Roles, cancellationToken).ConfigureAwait(false);
            await new Storage.Tasks.HistoryPruner(db, cli.Settings.Queue.Namespace).SetRetentionAsync(new Storage.Tasks.HistoryRetention(TimeSpan.FromDays(90), WithResults: false), cancellationToken).ConfigureAwait(false);
        }
    }

    // A token cancelled with the caller's, or once every worker of the pool has exited.
    private static CancellationTokenSource CancelledWhenAllExit(IReadOnlyList<DemoWorker> pool, CancellationToken cancellationToken)
    {
        var workersGone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = 0;
        foreach (var w in pool)
        {
            var counted = 0;
            void Gone()
            {
                // Once per worker, whether the event or the check below sees it first.
                if (Interlocked.Exchange(ref counted, 1) == 0 && Interlocked.Increment(ref exited) == pool.Count)
                {
                    workersGone.Cancel();
                }
            }

            w.Process.Exited += (_, _) => Gone();
            if (w.Process.HasExited)
            {
                Gone();
            }
        }

        return workersGone;
    }

    private sealed record DemoWorker(Process Process, string MetricsUrl, StreamWriter Log);

    // Worker processes: this same nflc, `worker`, with the caller's settings; logs to .local/.
    // Workers log in as nflc_worker when its password file is set, and to Redis as the grid's
    // worker user when the Redis users are (a local grid's are): the demo runs with the
    // privileges a real grid's workers have.
    private static List<DemoWorker> StartWorkers(int count, ParseResult parse, RoleOptions roles, string ns)
    {
        var logs = Path.Combine(Checkout.Find() ?? Directory.GetCurrentDirectory(), ".local");
        Directory.CreateDirectory(logs);
        var pool = new List<DemoWorker>();
        for (var i = 1; i <= count; i++)
        {
            var url = $"http://127.0.0.1:{FreePort()}";
            var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                info.ArgumentList.Add(typeof(DemoCommand).Assembly.Location);
            }

            foreach (var a in new[] { "worker", "--id", $"demo-worker-{i}", "--metrics-url", url })
            {
                info.ArgumentList.Add(a);
            }

            if (parse.GetValue(CliContext.ConfigOption) is { } file)
            {
                info.ArgumentList.Add("--config");
                info.ArgumentList.Add(file);
            }

            var asWorker = new List<string>();
            if (roles.WorkerPasswordFile is { } workerPassword)
            {
                asWorker.AddRange([$"Postgres:Username={StorageRoles.Worker}", $"Postgres:PasswordFile={workerPassword}"]);
            }

            if (roles.RedisPasswordFileOf("worker") is { } redisPassword)
            {
                asWorker.AddRange([$"Redis:User={NflCompute.Queue.Redis.RedisRoles.UserOf("worker", ns)}", $"Redis:PasswordFile={redisPassword}"]);
            }

            foreach (var set in (parse.GetValue(CliContext.SetOption) ?? []).Concat(asWorker))
            {
                info.ArgumentList.Add("--set");
                info.ArgumentList.Add(set);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("a worker did not start");
            // The log is closed once the worker has exited and its output is drained (StopWorkersAsync);
            // a line that still arrives after that is dropped (a closed writer's BaseStream is null).
            var log = new StreamWriter(Path.Combine(logs, $"demo-worker-{i}.log")) { AutoFlush = true };
            void Write(string? line)
            {
                lock (log)
                {
                    if (line is not null && log.BaseStream is not null)
                    {
                        log.WriteLine(line);
                    }
                }
            }

            process.OutputDataReceived += (_, e) => Write(e.Data);
            process.ErrorDataReceived += (_, e) => Write(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            pool.Add(new DemoWorker(process, url, log));
        }

        return pool;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task StopWorkersAsync(List<DemoWorker> pool)
    {
        foreach (var w in pool.Where(w => !w.Process.HasExited))
        {
            using var term = Process.Start("kill", ["-TERM", w.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync().ConfigureAwait(false);
        }

        foreach (var w in pool)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await w.Process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                w.Process.Kill(entireProcessTree: true);
            }

            w.Process.Dispose();
            lock (w.Log)
            {
                w.Log.Dispose();
            }
        }
    }

    /// <summary>What the demo found, as printed (and as --json writes it).</summary>
    internal sealed class Report
    {
        public List<Step> Steps { get; } = [];

        public Dictionary<string, JsonElement> Results { get; } = new(StringComparer.Ordinal);

        public double Seconds { get; set; }

        public List<string> Workers { get; set; } = [];
    }

    internal sealed record Step(string Kind, string What, string TaskId, double Seconds, string Worker, string Device);

    private static async Task<Report> RunAsync(CliContext cli, GridClient grid, bool quick, CancellationToken cancellationToken)
    {
        var report = new Report();
        var seasons = quick ? Enumerable.Range(2023, 3).ToList() : Enumerable.Range(2006, 20).ToList();
        var resamples = quick ? 2_000 : 10_000;
        await (cli.JsonOutput ? CliContext.Errors : cli.Console).Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn()).StartAsync(async progress =>
        {
            var steps = new DemoSteps(cli, grid, report, progress, cancellationToken);
            await steps.RunAsync("load-games", "the shipped games 1999-2025", new LoadGamesSpec()).ConfigureAwait(false);
            var classic = await steps.RunAsync("elo-ratings", "classic Elo 1999-2025", new EloRatingsSpec()).ConfigureAwait(false);
            var jumpy = await steps.RunAsync("elo-ratings-k40", "Elo with K = 40 (a candidate version)", new EloRatingsSpec(Parameters: new EloParametersSpec(K: 40))).ConfigureAwait(false);
            var grid16 = quick ? 3 : 16;
            await steps.RunAsync("elo-sweep", $"{grid16 * grid16 * grid16:N0} parameter sets", new EloSweepSpec(
                K: Axis(10, 40, grid16), HomeEdge: Axis(0, 120, grid16), Reversion: Axis(0, 0.6, grid16))).ConfigureAwait(false);
            await steps.RunAsync("season-sim", $"2025 from its last played week, {(quick ? 20_000 : 100_000):N0} seasons", new SeasonSimSpec(2025, Simulations: quick ? 20_000 : 100_000)).ConfigureAwait(false);
            await steps.CompareSeasonsAsync(seasons, resamples).ConfigureAwait(false);

            static string Dataset(JsonElement r, string name) => r.GetProperty("datasets").GetProperty(name).GetString()!;
            var outcomes = Dataset(classic, "outcomes");
            await steps.RunAsync("regression-check-v1", "elo v1 (classic)", new RegressionCheckSpec("elo", "v1-classic", outcomes, Dataset(classic, "homeWinProbability"), Margin: 0.001, PermutationResamples: resamples, BootstrapResamples: resamples)).ConfigureAwait(false);
            await steps.RunAsync("regression-check-v2", "elo v2 (K = 40) against v1", new RegressionCheckSpec("elo", "v2-k40", outcomes, Dataset(jumpy, "homeWinProbability"), Margin: 0.001, PermutationResamples: resamples, BootstrapResamples: resamples)).ConfigureAwait(false);
            await steps.NightlyAsync(NightlySchedule(resamples)).ConfigureAwait(false);

            // The built-in history prune, run once now on a worker (it keeps 90 days, so nothing goes yet).
            var prune = DbCommands.DbPruneSchedule("0 5 * * *");
            await grid.Queue.PutScheduleAsync(prune).ConfigureAwait(false);
            report.Results["db-prune"] = await steps.FinishAsync(await grid.Queue.TriggerScheduleAsync(prune.Name).ConfigureAwait(false), "history older than 90 days").ConfigureAwait(false);
        }).ConfigureAwait(false);
        return report;
    }

    // The demo's steps: each submitted, waited for with a progress bar, and written into the report.
    private sealed class DemoSteps(CliContext cli, GridClient grid, Report report, ProgressContext progress, CancellationToken cancellationToken)
    {
        public async Task<JsonElement> RunAsync(string name, string what, IJobSpec spec, IReadOnlyList<string>? dependsOn = null)
        {
            var bar = progress.AddTask($"{name}: {Markup.Escape(what)}", maxValue: 1);
            var id = await grid.SubmitAsync(spec, new SubmitOptions { DependsOn = dependsOn ?? [], CorrelationId = "demo" }).ConfigureAwait(false);
            var result = await FinishAsync(id, what).ConfigureAwait(false);
            bar.Increment(1);
            report.Results[name] = result;
            return result;
        }

        public async Task<JsonElement> FinishAsync(string id, string what)
        {
            var done = await grid.WaitAsync(id, Patience, cancellationToken).ConfigureAwait(false);
            var json = await TaskCommands.ResultTextAsync(cli, done, cancellationToken).ConfigureAwait(false);
            var result = JsonDocument.Parse(json).RootElement.Clone();
            var seconds = ((done.Info.FinishedAt ?? DateTimeOffset.UtcNow) - done.Info.SubmittedAt).TotalSeconds;
            var device = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("device", out var d) ? d.GetString() ?? "" : "cpu";
            report.Steps.Add(new Step(done.Info.Kind, what, id, seconds, done.Info.Worker ?? "", device));
            return result;
        }

        // One nfl-compare per season in one batch, the seasons pooled, and Holm across the seasons.
        public async Task CompareSeasonsAsync(List<int> seasons, int resamples)
        {
            var bar = progress.AddTask($"nfl-compare: {seasons.Count} seasons, pooled, Holm across seasons", maxValue: seasons.Count + 2);
            var perSeason = await grid.SubmitBatchAsync([.. seasons.Select(s => ((IJobSpec)new NflCompareSpec(s, PermutationResamples: resamples, BootstrapResamples: resamples), (SubmitOptions?)null))]).ConfigureAwait(false);
            var pooled = await grid.SubmitAsync(new NflCompareSpec(seasons[0], seasons[^1], resamples, resamples)).ConfigureAwait(false);
            var summary = await grid.SubmitAsync(new NflCompareSummarySpec(perSeason), new SubmitOptions { DependsOn = perSeason }).ConfigureAwait(false);
            for (var i = 0; i < perSeason.Count; i++)
            {
                await FinishAsync(perSeason[i], $"season {seasons[i]}").ConfigureAwait(false);
                bar.Increment(1);
            }

            report.Results["nfl-compare"] = await FinishAsync(pooled, $"seasons {seasons[0]}-{seasons[^1]} pooled").ConfigureAwait(false);
            bar.Increment(1);
            report.Results["nfl-compare-summary"] = await FinishAsync(summary, "Holm across seasons").ConfigureAwait(false);
            bar.Increment(1);
        }

        // The nightly chain as a recurring schedule (04:00 in New York), run once now: each step
        // waits for the one before, and the check reads the datasets the ratings step made.
        public async Task NightlyAsync(ScheduleDefinition nightly)
        {
            var bar = progress.AddTask($"schedule {nightly.Name}: load-games, elo-ratings, regression-check", maxValue: 3);
            await grid.Queue.PutScheduleAsync(nightly).ConfigureAwait(false);
            var chain = new List<string> { await grid.Queue.TriggerScheduleAsync(nightly.Name).ConfigureAwait(false) };
            while ((await grid.Queue.GetAsync(chain[0]).ConfigureAwait(false))?.Parents is [var before, ..])
            {
                chain.Insert(0, before);
            }

            foreach (var (id, what) in chain.Zip(["nightly: the shipped games", "nightly: classic Elo", "nightly: against every version"]))
            {
                report.Results["nightly"] = await FinishAsync(id, what).ConfigureAwait(false);
                bar.Increment(1);
            }
        }
    }

    // Every step's result, in the order they ran, as the HTML report nflc report writes.
    private static async Task WriteReportAsync(CliContext cli, Report report, FileInfo html, CancellationToken cancellationToken)
    {
        var (results, _) = await ReportCommand.ReadAsync(cli, report.Steps.Select(s => s.TaskId), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(html.FullName, Dashboard.Reports.ResultReport.Html(results, "NflCompute demo"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The demo's nightly schedule: reload the games, rate them with 538's Elo, and check that rating against every registered version.</summary>
    internal static ScheduleDefinition NightlySchedule(long resamples) => new()
    {
        Name = "nightly-nfl",
        Cron = "0 4 * * *",
        TimeZone = "America/New_York",
        Kind = JobKinds.LoadGames,
        Payload = JobJson.Serialize<object>(new LoadGamesSpec()),
        Then =
        [
            new ScheduleStep(JobKinds.EloRatings, JobJson.Serialize<object>(new EloRatingsSpec())),
            new ScheduleStep(JobKinds.RegressionCheck, JobJson.Serialize<object>(new RegressionCheckSpec(
                "elo", "nightly", DatasetReference.FromParent("outcomes"), DatasetReference.FromParent("homeWinProbability"), Margin: 0.001, PermutationResamples: resamples, BootstrapResamples: resamples))),
        ],
    };

    private static List<double> Axis(double from, double to, int steps) =>
        [.. Enumerable.Range(0, steps).Select(i => steps == 1 ? from : Math.Round(from + ((to - from) * i / (steps - 1)), 4))];

    private static void Print(IAnsiConsole console, Report report)
    {
        var r = report.Results;
        var steps = new Table().Title("[bold]What ran where[/]").AddColumns("job", "what", "seconds", "worker", "device");
        foreach (var s in report.Steps)
        {
            steps.AddRow(s.Kind, Markup.Escape(s.What), s.Seconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), s.Worker, Markup.Escape(s.Device));
        }

        console.Write(steps);

        var load = r["load-games"];
        console.MarkupLine($"[bold]Games[/]: {load.GetProperty("rows").GetInt32():N0} rows: {load.GetProperty("new").GetInt32():N0} new, {load.GetProperty("changed").GetInt32():N0} changed, {load.GetProperty("unchanged").GetInt32():N0} unchanged, {load.GetProperty("quarantined").GetInt32()} quarantined.");
        var elo = r["elo-ratings"];
        var top = string.Join(", ", elo.GetProperty("ratings").EnumerateArray().Take(5).Select(t => $"{t.GetProperty("franchise").GetString()} {t.GetProperty("rating").GetDouble():F0}"));
        console.MarkupLine($"[bold]Elo 1999-2025[/]: {elo.GetProperty("played").GetInt32():N0} games, Brier {elo.GetProperty("brier").GetDouble():F4}, log loss {elo.GetProperty("logLoss").GetDouble():F4}. Highest now: {top}.");
        var sweep = r["elo-sweep"];
        var best = sweep.GetProperty("bestByBrier");
        console.MarkupLine($"[bold]Elo sweep[/]: {sweep.GetProperty("combinations").GetInt32():N0} sets at {sweep.GetProperty("combinationsPerSecond").GetDouble():N0}/s on {Markup.Escape(sweep.GetProperty("device").GetString()!)}; best Brier {best.GetProperty("brier").GetDouble():F5} at K {best.GetProperty("k").GetDouble()}, home edge {best.GetProperty("homeEdge").GetDouble()}, reversion {best.GetProperty("reversion").GetDouble()} (538's: {sweep.GetProperty("classic").GetProperty("brier").GetDouble():F5}).");

        var sim = r["season-sim"];
        var simTable = new Table().Title($"[bold]2025 after week {sim.GetProperty("afterWeek").GetInt32()}[/]: {sim.GetProperty("simulations").GetInt32():N0} seasons in {sim.GetProperty("seconds").GetDouble():F2} s").AddColumns("team", "division", "record", "expected wins", "playoffs", "division title", "top seed");
        foreach (var t in sim.GetProperty("teams").EnumerateArray().OrderByDescending(t => t.GetProperty("playoffs").GetDouble()).Take(14))
        {
            simTable.AddRow(t.GetProperty("team").GetString()!, t.GetProperty("alignment").GetString()!, $"{t.GetProperty("wins").GetInt32()}-{t.GetProperty("losses").GetInt32()}-{t.GetProperty("ties").GetInt32()}",
                t.GetProperty("expectedWins").GetDouble().ToString("F1", System.Globalization.CultureInfo.InvariantCulture), $"{t.GetProperty("playoffs").GetDouble():P1}", $"{t.GetProperty("division").GetDouble():P1}", $"{t.GetProperty("topSeed").GetDouble():P1}");
        }

        console.Write(simTable);

        var compare = r["nfl-compare"];
        var compareTable = new Table().Title($"[bold]Forecasts {compare.GetProperty("fromSeason").GetInt32()}-{compare.GetProperty("toSeason").GetInt32()}[/], {compare.GetProperty("games").GetInt32():N0} games with odds, against the home rate").AddColumns("rule", "model", "mean loss", "home rate", "p (two-sided)", "Holm", "BCa 95%");
        foreach (var rule in new[] { "brier", "log-loss" })
        {
            foreach (var m in compare.GetProperty("rules").GetProperty(rule).EnumerateArray())
            {
                compareTable.AddRow(rule, m.GetProperty("model").GetString()!, $"{m.GetProperty("meanLoss").GetDouble():F4}", $"{m.GetProperty("baselineMeanLoss").GetDouble():F4}", $"{m.GetProperty("pTwoSided").GetDouble():G3}", $"{m.GetProperty("adjustedP").GetDouble():G3}", Markup.Escape($"[{m.GetProperty("bcaLow").GetDouble():F4}, {m.GetProperty("bcaHigh").GetDouble():F4}]"));
            }
        }

        console.Write(compareTable);
        var bySeason = r["nfl-compare-summary"].GetProperty("bySeason").EnumerateArray().Where(e => e.GetProperty("rule").GetString() == "brier").ToList();
        foreach (var model in new[] { "elo", "market" })
        {
            var rows = bySeason.Where(e => e.GetProperty("model").GetString() == model).ToList();
            console.MarkupLine($"[bold]{model}[/] beats the home rate (Brier, Holm across {rows.Count} seasons, p < 0.05) in {rows.Count(e => e.GetProperty("holmAcrossSeasons").GetDouble() < 0.05 && e.GetProperty("improvement").GetDouble() > 0)} of {rows.Count} seasons.");
        }

        var check = r["regression-check-v2"];
        var evidence = check.GetProperty("comparisons").EnumerateArray().FirstOrDefault();
        console.MarkupLine(check.GetProperty("regressions").GetInt32() > 0
            ? $"[bold red]Regression[/]: elo v2-k40 is worse than v1-classic by {evidence.GetProperty("difference").GetDouble():F4} Brier (Holm p {evidence.GetProperty("adjustedP").GetDouble():G3}); recorded in Postgres (regressions) and nflc_regressions_total."
            : $"[bold green]No regression[/]: elo v2-k40 is not significantly worse than v1-classic by more than 0.001 Brier.");
        var nightly = r["nightly"];
        console.MarkupLine($"Schedule nightly-nfl (04:00 New York, `nflc schedule show nightly-nfl`) ran its chain once: load-games, elo-ratings, then regression-check against {nightly.GetProperty("comparisons").GetArrayLength()} earlier versions: {(nightly.GetProperty("regressions").GetInt32() > 0 ? "[bold red]a regression[/]" : "[bold green]no regression[/]")}.");
        console.MarkupLine($"History: the built-in db-prune schedule (05:00 UTC) keeps {r["db-prune"].GetProperty("keepDays").GetDouble():0} days in Postgres; its first run deleted {r["db-prune"].GetProperty("tasks").GetInt32()} tasks.");
        console.MarkupLine($"Done in {report.Seconds:F1} s. Results are in Postgres (`nflc results <task>`); the workers served metrics at {string.Join(", ", report.Workers)} while they ran.");
        console.MarkupLine("The servers are still up: `nflc dashboard` serves the dashboard at http://127.0.0.1:8080, `nflc status` shows the queue, `nflc dev down` stops them.");
    }
}
