using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NflCompute.Queue;
using NflCompute.Queue.Redis;
using StackExchange.Redis;

namespace NflCompute.Bench.Queue;

/// <summary>
/// End-to-end queue load: N no-op tasks submitted in batches, then processed by K concurrent
/// claimers with batch claim and batch complete. Reports tasks per second, Redis CPU per task
/// (INFO cpu deltas) and Redis bytes per waiting task (INFO memory delta), and runs BullMQ 6.7 on
/// the same Redis in the same run for the ratio. Medians over the runs.
/// </summary>
public static class LoadGenerator
{
    private static readonly string[] Cpu = ["cpu"];

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = LoadSettings.Parse(args);
        await using var gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = settings.Redis, WaitForReplicas = settings.WaitForReplicas });
        using var admin = await ConnectionMultiplexer.ConnectAsync(settings.Redis + ",allowAdmin=true");
        var masters = admin.GetServers().Where(m => !m.IsReplica).ToArray();

        var ours = new List<RunFigures>();
        var theirs = new List<RunFigures>();
        for (var run = 1; run <= settings.Runs; run++)
        {
            var figures = await RunOursAsync(gateway, masters, admin.GetDatabase(), settings);
            ours.Add(figures);
            Console.Error.WriteLine($"run {run} nflcompute: {figures}");
            if (settings.BullMq)
            {
                var bull = await RunBullMqAsync(settings);
                theirs.Add(bull);
                Console.Error.WriteLine($"run {run} bullmq:     {bull}");
            }
        }

        Report(settings, ours, theirs);
        return 0;
    }

    // One run: the tasks split evenly over --namespaces grids (on a cluster, each its own slot),
    // each with 4 submitters and then its share of the claimers, all at once. Redis CPU and memory
    // are summed over every master.
    /// <summary>
    /// Deletes a benchmark grid's keys, so runs do not pile up in the shared Redis (millions of
    /// keys left by earlier runs make Redis grow and rehash its keyspace during the next one).
    /// The prefix is the script's key, so a cluster runs it on the grid's node.
    /// </summary>
    internal static Task DeleteGridAsync(IDatabase db, string prefix) =>
        db.ExecuteAsync("EVAL", "local ks = redis.call('KEYS', ARGV[1]) for i = 1, #ks, 1000 do redis.call('UNLINK', unpack(ks, i, math.min(i + 999, #ks))) end return #ks", 1, prefix, prefix.Replace("{", "\\{", StringComparison.Ordinal).Replace("}", "\\}", StringComparison.Ordinal) + ":*");

    private static async Task<RunFigures> RunOursAsync(RedisGateway gateway, IServer[] masters, IDatabase db, LoadSettings s)
    {
        var queues = new List<TaskQueue>();
        for (var n = 0; n < s.Namespaces; n++)
        {
            var queue = new TaskQueue(gateway, new QueueOptions { Namespace = $"bench-{n}-" + Guid.NewGuid().ToString("N")[..8], Classes = ["cpu"] });
            await queue.ConfigureAsync();
            queues.Add(queue);
        }

        var payload = s.PayloadBytes == 0 ? "{}" : "{\"x\":\"" + new string('x', s.PayloadBytes - 8) + "\"}";
        var batches = Enumerable.Range(0, Math.Max(1, s.Submitters)).Select(k => Enumerable.Range(0, s.SubmitBatch)
            .Select(_ => new TaskSubmission { Kind = "noop", Payload = payload, Submitter = s.Submitters == 0 ? null : "submitter-" + k }).ToList()).ToList();
        var share = s.Tasks / s.Namespaces;
        var claimersEach = Math.Max(2, s.Claimers / s.Namespaces);

        using var traced = s.Traced ? new Tracing.TracedSubmissions(1.0) : null;
        var before = await InfoAsync(masters);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(queues.SelectMany(queue => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = w * s.SubmitBatch; i < share; i += 4 * s.SubmitBatch)
            {
                var batch = batches[(i / s.SubmitBatch) % batches.Count];
                await queue.SubmitBatchAsync(i + s.SubmitBatch <= share ? batch : batch.Take(share - i).ToList());
            }
        }))));
        var submitSeconds = clock.Elapsed.TotalSeconds;
        var submitted = await InfoAsync(masters);

        clock.Restart();
        await Task.WhenAll(queues.Select(queue =>
        {
            var completed = 0;
            return Task.WhenAll(Enumerable.Range(0, claimersEach).Select(w => Task.Run(async () =>
            {
                var worker = "bench-" + w;
                while (Volatile.Read(ref completed) < share)
                {
                    var tasks = await queue.ClaimAsync(worker, Cpu, s.ClaimBatch, TimeSpan.FromMinutes(5));
                    if (tasks.Count == 0)
                    {
                        continue;
                    }

                    var accepted = await queue.CompleteManyAsync(tasks.Select(t => (t, "")).ToList());
                    Interlocked.Add(ref completed, accepted.Count(a => a));
                }
            })));
        }));
        var processSeconds = clock.Elapsed.TotalSeconds;
        var processed = await InfoAsync(masters);

        foreach (var queue in queues)
        {
            var counts = await queue.GetCountsAsync();
            if (counts.CompletedTotal != share || counts.Pending + counts.Running != 0)
            {
                throw new InvalidOperationException($"Lost work: {counts}");
            }

            await DeleteGridAsync(db, queue.Options.Prefix);
        }

        var total = share * s.Namespaces;
        return new RunFigures(
            total / submitSeconds,
            total / processSeconds,
            (submitted.Memory - before.Memory) / total,
            (submitted.CpuSeconds - before.CpuSeconds) * 1e6 / total,
            (processed.CpuSeconds - submitted.CpuSeconds) * 1e6 / total);
    }

    private static async Task<RunFigures> RunBullMqAsync(LoadSettings s)
    {
        var dir = Path.Combine(FindRepoRoot(), "bench", "bullmq");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "bullmq")))
        {
            await RunProcessAsync("npm", "ci --no-audit --no-fund", dir);
        }

        var endpoint = s.Redis.Split(',')[0].Split(':');
        var output = await RunProcessAsync("node", $"bench.mjs {endpoint[0]} {endpoint[1]} {s.BullMqJobs} {s.PayloadBytes}", dir);
        var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        double D(string name) => json.GetProperty(name).GetDouble();
        return new RunFigures(D("addPerSecond"), D("processPerSecond"), D("bytesPerWaitingJob"), D("redisCpuUsPerJobAdd"), D("redisCpuUsPerJobProcess"));
    }

    private static void Report(LoadSettings s, List<RunFigures> ours, List<RunFigures> theirs)
    {
        static double Median(IEnumerable<double> xs)
        {
            var a = xs.Order().ToArray();
            return a.Length % 2 == 1 ? a[a.Length / 2] : (a[(a.Length / 2) - 1] + a[a.Length / 2]) / 2;
        }

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Queue load, {s.Tasks:N0} no-op tasks in {s.Namespaces} namespace(s) ({(s.PayloadBytes == 0 ? "payload {}" : s.PayloadBytes + " B payload")}), submit batches of {s.SubmitBatch}, {s.Claimers} claimers x {s.ClaimBatch}{(s.Traced ? ", submissions traced" : "")}{(s.Submitters > 0 ? $", {s.Submitters} submitters" : "")}; medians of {s.Runs} runs");
        Console.WriteLine();
        Console.WriteLine("| figure | NflCompute | BullMQ 6.7 (same run) | ratio |");
        Console.WriteLine("|---|---|---|---|");
        void Row(string name, Func<RunFigures, double> pick, string format, bool higherIsBetter)
        {
            var a = Median(ours.Select(pick));
            if (theirs.Count == 0)
            {
                Console.WriteLine(string.Create(c, $"| {name} | {a.ToString(format, c)} | | |"));
                return;
            }

            var b = Median(theirs.Select(pick));
            var ratio = higherIsBetter ? a / b : b / a;
            Console.WriteLine(string.Create(c, $"| {name} | {a.ToString(format, c)} | {b.ToString(format, c)} | {ratio:F1}x {(higherIsBetter ? "faster" : "less")} |"));
        }

        Row("submit, tasks/s", f => f.SubmitPerSecond, "N0", true);
        Row("process (claim + complete), tasks/s", f => f.ProcessPerSecond, "N0", true);
        Row("end to end (submit then process), tasks/s", f => f.EndToEndPerSecond, "N0", true);
        Row("Redis CPU per task, submit, us", f => f.CpuUsSubmit, "F1", false);
        Row("Redis CPU per task, process, us", f => f.CpuUsProcess, "F1", false);
        Row("Redis CPU per task, total, us", f => f.CpuUsSubmit + f.CpuUsProcess, "F1", false);
        Row("Redis memory per waiting task, bytes", f => f.BytesPerWaitingTask, "F0", false);
    }

    private static async Task<(double Memory, double CpuSeconds)> InfoAsync(IServer[] servers)
    {
        var (memory, cpu) = (0.0, 0.0);
        foreach (var server in servers)
        {
            var pairs = (await server.InfoAsync("memory")).Concat(await server.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
            double V(string name) => double.Parse(pairs[name], CultureInfo.InvariantCulture);
            (memory, cpu) = (memory + V("used_memory"), cpu + V("used_cpu_user") + V("used_cpu_sys"));
        }

        return (memory, cpu);
    }

    /// <summary>Runs a program to its end in <paramref name="directory"/>: its output, or an exception with its errors.</summary>
    internal static async Task<string> RunProcessAsync(string file, string arguments, string directory)
    {
        var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {await stderr}");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NflCompute.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the load generator from inside the repository.");
    }
}
