using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NflCompute.Queue;
using NflCompute.Queue.Redis;
using NflCompute.Storage;
using NflCompute.Storage.Datasets;
using Npgsql;

namespace NflCompute.Bench.Worker;

/// <summary>
/// End to end through real worker processes: N no-op tasks and M compare-models tasks (5 models,
/// 5000 games, 10k resamples) through nflc-worker processes on this machine (2, or --workers N), each task claimed,
/// run, written to Postgres and completed in Redis. Uses the local servers (NFLC_* settings from
/// deploy/local/up.sh) and a database of its own.
/// </summary>
public static class WorkerBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var noops = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var comparisons = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        // Unmeasured no-op tasks first, so the figures are the workers' steady state (and the
        // peers get the same warm-up).
        var warmup = Array.IndexOf(args, "--warmup") is var at and >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 10_000;
        var redisEndpoint = Environment.GetEnvironmentVariable("NFLC_Redis__Configuration") ?? "127.0.0.1:16379";
        var superuser = LocalSuperuser();
        var database = await CreateDatabaseAsync(superuser, "nflc_bench_");
        await using (var owner = PostgresDataSource.Create(superuser, database))
        {
            await new NflCompute.Storage.Migrations.MigrationRunner(owner).MigrateAsync();
        }

        var ns = "wbench-" + Guid.NewGuid().ToString("N")[..6];
        await using var redis = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = redisEndpoint });
        var queue = new TaskQueue(redis, new QueueOptions { Namespace = ns, Classes = ["cpu"] });
        await queue.ConfigureAsync();
        var startup = Stopwatch.StartNew();
        // --trace RATIO: submissions traced, sampled at RATIO by trace id, and the workers export
        // their spans with OTLP (parent-based sampling) to a sink in this process.
        var traceRatio = Array.IndexOf(args, "--trace") is var t and >= 0 ? double.Parse(args[t + 1], CultureInfo.InvariantCulture) : (double?)null;
        using var sink = traceRatio is null ? null : new Tracing.OtlpSink(FreePort());
        using var traced = traceRatio is { } ratio ? new Tracing.TracedSubmissions(ratio) : null;
        // --workers N: worker processes on this machine (default 2), each with NFLC_BENCH_CONCURRENCY slots.
        var workerCount = Array.IndexOf(args, "--workers") is var wc and >= 0 ? int.Parse(args[wc + 1], CultureInfo.InvariantCulture) : 2;
        var workers = Enumerable.Range(0, workerCount).Select(i => StartWorker(i, ns, database, redisEndpoint, superuser, sink?.Endpoint)).ToList();
        try
        {
            await Eventually(async () => (await queue.GetCountsAsync()).Workers == workerCount, TimeSpan.FromMinutes(1));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workerCount} worker processes registered {startup.Elapsed.TotalSeconds:F2} s after they were started"));
            await using var db = PostgresDataSource.Create(superuser, database);
            using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redisEndpoint + ",allowAdmin=true");
            var redisServer = admin.GetServer(admin.GetEndPoints()[0]);
            if (noops > 0 && warmup > 0)
            {
                await TimeAsync(queue, [.. Enumerable.Range(0, warmup).Select(_ => new TaskSubmission { Kind = "noop", Class = "cpu" })]);
            }

            var before = await CostsAsync(db, redisServer);
            var workersBefore = ProcessCpuSeconds(workers);
            var benchBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            // Redis's memory while the no-op phase runs: with completed tasks bounded
            // (Queue:CompletedMaxCount), it must level off however many tasks go through.
            var memory = new List<long>();
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    memory.Add(long.Parse((await redisServer.InfoAsync("memory")).SelectMany(g => g).First(kv => kv.Key == "used_memory").Value, CultureInfo.InvariantCulture));
                    await Task.Delay(1000, sampling.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            });
            // --paced RATE: submissions at RATE tasks/s instead of all at once, so the grid runs in
            // a steady state (few tasks pending) and its memory shows what it keeps of finished ones.
            var paced = Array.IndexOf(args, "--paced") is var pa and >= 0 ? double.Parse(args[pa + 1], CultureInfo.InvariantCulture) : (double?)null;
            var noopRate = await TimeAsync(queue, Enumerable.Range(0, noops).Select(_ => new TaskSubmission { Kind = "noop", Class = "cpu" }).ToList(), paced);
            await sampling.CancelAsync();
            await sampler;
            var after = await CostsAsync(db, redisServer);
            var workersCpu = ProcessCpuSeconds(workers) - workersBefore;
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchBefore;

            var payload = await ComparePayloadAsync(new DatasetStore(db));
            var compareRate = await TimeAsync(queue, Enumerable.Range(0, comparisons).Select(i => new TaskSubmission { Kind = "compare-models", Class = "cpu", Payload = payload.Replace("\"seed\":1", "\"seed\":" + (i + 1), StringComparison.Ordinal) }).ToList());

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| workload ({workerCount} worker processes, this machine) | tasks/s |"));
            Console.WriteLine("|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| no-op tasks, full worker path (claim, run, Postgres write, complete), {noops:N0} tasks after {warmup:N0} to warm up | {noopRate:N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| compare-models (5 models x 5000 games x 10k resamples), {comparisons} tasks | {compareRate:F2} |"));
            if (noops > 0)
            {
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"no-op phase, per task: {(after.Commits - before.Commits) / (double)noops:F4} Postgres commits, {(after.PostgresCpu - before.PostgresCpu) * 1e6 / noops:F1} us of Postgres CPU, {(after.RedisCpu - before.RedisCpu) * 1e6 / noops:F1} us of Redis CPU, {workersCpu * 1e6 / noops:F1} us of worker CPU (both processes), {benchCpu * 1e6 / noops:F1} us of the submitting bench's CPU"));
                var tenths = Enumerable.Range(1, 10).Select(q => memory[Math.Clamp((q * memory.Count / 10) - 1, 0, memory.Count - 1)] / 1e6).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Redis used_memory during the no-op phase, at each tenth of it: {string.Join(" / ", tenths.Select(m => m.ToString("F1", CultureInfo.InvariantCulture)))} MB ({memory.Count} samples, peak {memory.Max() / 1e6:F1} MB)"));
                if (sink is not null)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"traced at {traceRatio:P1} (submissions sampled by trace id, workers parent-based): the workers exported {sink.Bytes:N0} bytes of OTLP in {sink.Requests:N0} requests by now"));
                }
            }

            if (noops > 0)
            {
                await LatencyAsync(queue, db, noopRate * 0.1);
            }

            if (args.Contains("--graphile") && noops > 0)
            {
                await GraphileAsync(superuser, noops, warmup, redisServer);
            }

            if (args.Contains("--hangfire") && noops > 0)
            {
                await HangfireAsync(superuser, redisEndpoint, Math.Min(noops, 5_000), redisServer);
            }

            return 0;
        }
        finally
        {
            foreach (var w in workers)
            {
                using var term = Process.Start("kill", ["-TERM", w.Id.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
                await w.WaitForExitAsync();
                w.Dispose();
            }

            using (var cleanup = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redisEndpoint))
            {
                await NflCompute.Bench.Queue.LoadGenerator.DeleteGridAsync(cleanup.GetDatabase(), queue.Options.Prefix);
            }

            await DropDatabaseAsync(superuser, database);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The local Postgres as deploy/local/up.sh describes it (NFLC_Postgres__* in the environment).
    private static PostgresOptions LocalSuperuser() => new()
    {
        Host = Environment.GetEnvironmentVariable("NFLC_Postgres__Host") ?? "127.0.0.1",
        Port = int.Parse(Environment.GetEnvironmentVariable("NFLC_Postgres__Port") ?? "15432", CultureInfo.InvariantCulture),
        Database = "postgres",
        PasswordFile = Environment.GetEnvironmentVariable("NFLC_Postgres__PasswordFile"),
        SslMode = SslMode.Disable,
    };

    // CPU seconds (utime + stime) of every postgres process now.
    private static double PostgresCpuSeconds() => PostgresTicks().Sum(p => p.Ticks) / 100.0;

    // Commits in the bench's database (pg_stat_database), CPU seconds of every postgres process
    // (/proc: utime + stime) and of Redis (INFO cpu).
    private static async Task<(long Commits, double PostgresCpu, double RedisCpu)> CostsAsync(NpgsqlDataSource db, StackExchange.Redis.IServer redis)
    {
        await using (var flush = db.CreateCommand("SELECT pg_stat_force_next_flush()"))
        {
            await flush.ExecuteNonQueryAsync();
        }

        await using var command = db.CreateCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        var commits = (long)(await command.ExecuteScalarAsync())!;
        var postgresCpu = PostgresCpuSeconds();
        var info = (await redis.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        var redisCpu = double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture);
        return (commits, postgresCpu, redisCpu);
    }

    private static async Task<double> TimeAsync(TaskQueue queue, List<TaskSubmission> tasks, double? pacedPerSecond = null)
    {
        var before = (await queue.GetCountsAsync()).CompletedTotal;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < tasks.Count; i += 500)
        {
            if (pacedPerSecond is { } rate && TimeSpan.FromSeconds(i / rate) - clock.Elapsed is { Ticks: > 0 } ahead)
            {
                await Task.Delay(ahead);
            }

            await queue.SubmitBatchAsync(tasks.Skip(i).Take(500).ToList());
        }

        await Eventually(async () =>
        {
            var c = await queue.GetCountsAsync();
            return c.CompletedTotal - before >= tasks.Count || c.DeadLetters > 0;
        }, TimeSpan.FromMinutes(20));
        var counts = await queue.GetCountsAsync();
        return counts.DeadLetters > 0
            ? throw new InvalidOperationException($"{counts.DeadLetters} tasks failed: {(await queue.ListDeadLettersAsync()).Items[0].Error}")
            : tasks.Count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<string> ComparePayloadAsync(DatasetStore datasets)
    {
        var random = new System.Random(5);
        var truth = Enumerable.Range(0, 5000).Select(_ => 0.2 + (0.6 * random.NextDouble())).ToArray();
        var outcomes = truth.Select(t => random.NextDouble() < t ? 1.0 : 0.0).ToArray();
        async Task<string> Forecast(double noise) =>
            await datasets.PutAsync(truth.Select(t => Math.Clamp(t + (noise * (random.NextDouble() - 0.5)), 0, 1)).ToArray(), "predictions");
        var models = new List<object>();
        for (var m = 0; m < 5; m++)
        {
            models.Add(new { name = "m" + m, predictions = await Forecast(0.05 + (0.02 * m)) });
        }

        return JsonSerializer.Serialize(new
        {
            outcomes = await datasets.PutAsync(outcomes, "outcomes"),
            baseline = await Forecast(0.2),
            models,
            permutationResamples = 10_000,
            bootstrapResamples = 10_000,
            seed = 1,
        });
    }

    private static Process StartWorker(int index, string ns, string database, string redis, PostgresOptions postgres, string? otlp)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "../../../../../src/NflCompute.Worker/bin/Release/net10.0/nflc-worker.dll");
        var info = new ProcessStartInfo("dotnet", [Path.GetFullPath(dll)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["NFLC_Redis__Configuration"] = redis;
        info.Environment["NFLC_Postgres__Host"] = postgres.Host;
        info.Environment["NFLC_Postgres__Port"] = postgres.Port.ToString(CultureInfo.InvariantCulture);
        info.Environment["NFLC_Postgres__Database"] = database;
        info.Environment["NFLC_Postgres__PasswordFile"] = postgres.PasswordFile;
        info.Environment["NFLC_Postgres__SslMode"] = "Disable";
        info.Environment["NFLC_Queue__Namespace"] = ns;
        info.Environment["NFLC_Worker__WorkerId"] = "bench-" + index;
        info.Environment["NFLC_Worker__Concurrency"] = Environment.GetEnvironmentVariable("NFLC_BENCH_CONCURRENCY") ?? "16";
        info.Environment["NFLC_Worker__Device"] = "cpu";
        info.Environment["NFLC_Worker__MetricsUrl"] = "http://127.0.0.1:" + (19464 + index).ToString(CultureInfo.InvariantCulture);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        if (otlp is not null)
        {
            info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
            info.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("nflc-worker did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // graphile-worker 0.18 on the same Postgres, in a database of its own, right after our run:
    // two worker instances in one node process (bench/graphile/bench.mjs), the same no-op count.
    private static async Task GraphileAsync(PostgresOptions superuser, int jobs, int warmup, StackExchange.Redis.IServer redis)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "../../../../../bench/graphile");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "graphile-worker")))
        {
            await NflCompute.Bench.Queue.LoadGenerator.RunProcessAsync("npm", "ci --no-audit --no-fund", dir);
        }

        var database = await CreateDatabaseAsync(superuser, "gw_bench_");
        await using (var db = PostgresDataSource.Create(superuser, database))
        {
            var start = new ProcessStartInfo("node", ["bench.mjs", $"postgres://{superuser.Username}@{superuser.Host}:{superuser.Port}/{database}", jobs.ToString(CultureInfo.InvariantCulture), "2", warmup.ToString(CultureInfo.InvariantCulture)]) { WorkingDirectory = dir };
            await PeerAsync("graphile-worker 0.18 (2 workers x 24 jobs, local queue 500, batched completion)", start, superuser, db, redis, jobs, warmup);
        }

        await DropDatabaseAsync(superuser, database);
    }

    // Hangfire 1.8 on the same Postgres (a database of its own) and on the same Redis, each in a
    // process of its own (HangfirePeer), with fewer jobs: it is two orders of magnitude slower.
    private static async Task HangfireAsync(PostgresOptions superuser, string redisEndpoint, int jobs, StackExchange.Redis.IServer redis)
    {
        var bench = typeof(WorkerBench).Assembly.Location;
        var database = await CreateDatabaseAsync(superuser, "hf_bench_");
        await using (var db = PostgresDataSource.Create(superuser, database))
        {
            var connection = $"Host={superuser.Host};Port={superuser.Port};Username={superuser.Username};Database={database};SSL Mode=Disable";
            await PeerAsync("Hangfire 1.8 on PostgreSQL (Hangfire.PostgreSql 1.21, 40 workers)", new ProcessStartInfo("dotnet", [bench, "hangfire", "postgres", jobs.ToString(CultureInfo.InvariantCulture), connection]), superuser, db, redis, jobs);
            await PeerAsync("Hangfire 1.8 on Redis (Hangfire.Redis.StackExchange 1.12, 40 workers)", new ProcessStartInfo("dotnet", [bench, "hangfire", "redis", jobs.ToString(CultureInfo.InvariantCulture), redisEndpoint]), superuser, db, redis, jobs);
        }

        await DropDatabaseAsync(superuser, database);
    }

    // A fresh database for one run (ours or a peer's), so its commits can be counted alone.
    private static async Task<string> CreateDatabaseAsync(PostgresOptions superuser, string prefix)
    {
        var database = prefix + Guid.NewGuid().ToString("N")[..8];
        await using var admin = PostgresDataSource.Create(superuser);
        await using var create = admin.CreateCommand($"CREATE DATABASE {database}");
        await create.ExecuteNonQueryAsync();
        return database;
    }

    // Runs leave nothing behind: a shared Postgres with hundreds of benchmark databases is not the one measured.
    private static async Task DropDatabaseAsync(PostgresOptions superuser, string database)
    {
        await using var admin = PostgresDataSource.Create(superuser);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }

    // Runs a peer's process (its password in PGPASSWORD, never on a command line), samples the
    // Postgres backends' CPU while it runs (they exit with it: last reading per process), and
    // prints its rate with its commits (in its database), Postgres and Redis CPU per job.
    private static async Task PeerAsync(string label, ProcessStartInfo start, PostgresOptions superuser, NpgsqlDataSource db, StackExchange.Redis.IServer redis, int jobs, int warmup = 0)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["PGPASSWORD"] = File.ReadAllText(superuser.PasswordFile!).Trim();
        var before = await CostsAsync(db, redis);
        using var peer = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = peer.StandardOutput.ReadToEndAsync();
        var errors = peer.StandardError.ReadToEndAsync();
        var cpu = new Dictionary<int, long>();
        while (!peer.HasExited)
        {
            foreach (var (pid, ticks) in PostgresTicks())
            {
                cpu[pid] = ticks;
            }

            await Task.Delay(50);
        }

        await peer.WaitForExitAsync();
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))?["RESULT ".Length..]
            ?? throw new InvalidOperationException($"{label} ended ({peer.ExitCode}) without a result: {await errors}");
        var after = await CostsAsync(db, redis);
        var postgresCpu = (cpu.Values.Sum() / 100.0) - before.PostgresCpu + PostgresTicks().Where(p => !cpu.ContainsKey(p.Pid)).Sum(p => p.Ticks / 100.0);
        var rate = JsonDocument.Parse(line).RootElement.GetProperty("perSecond").GetDouble();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}, {jobs:N0} no-op jobs{(warmup > 0 ? $" after {warmup:N0} to warm up" : "")}: {rate:N0} jobs/s end to end; per job (warm-up included): {(after.Commits - before.Commits) / (double)(jobs + warmup):F4} Postgres commits, {postgresCpu * 1e6 / (jobs + warmup):F1} us of Postgres CPU, {(after.RedisCpu - before.RedisCpu) * 1e6 / (jobs + warmup):F1} us of Redis CPU"));
    }

    // Submit to durable result at a tenth of the measured rate: tasks arrive every 10 ms for 5 s;
    // latency is the result's commit time (written_at) less the submission time (in the id).
    private static async Task LatencyAsync(TaskQueue queue, NpgsqlDataSource db, double perSecond)
    {
        var perTick = Math.Max(1, (int)Math.Round(perSecond / 100));
        var ids = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var tick = 0; tick < 500; tick++)
        {
            ids.AddRange((await queue.SubmitBatchAsync(Enumerable.Range(0, perTick).Select(_ => new TaskSubmission { Kind = "noop", Class = "cpu" }).ToList())).Select(r => r.Id));
            var next = TimeSpan.FromMilliseconds(10 * (tick + 1)) - clock.Elapsed;
            if (next > TimeSpan.Zero)
            {
                await Task.Delay(next);
            }
        }

        await Eventually(async () => (await queue.GetCountsAsync()) is { Pending: 0, Running: 0 }, TimeSpan.FromMinutes(2));
        await using var command = db.CreateCommand("""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), count(*)
            FROM (SELECT extract(epoch FROM r.written_at - t.submitted_at) * 1000 AS ms FROM results r JOIN tasks t USING (grid, task_id) WHERE r.task_id = ANY(@ids)) l
            """);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submit to durable result at 10% load ({perTick * 100:N0} tasks/s for 5 s, {reader.GetInt64(2):N0} tasks): p50 {reader.GetDouble(0):F1} ms, p99 {reader.GetDouble(1):F1} ms"));
    }

    // CPU seconds (user + system) the worker processes have used so far.
    private static double ProcessCpuSeconds(IEnumerable<Process> processes) => processes.Sum(p =>
    {
        p.Refresh();
        return p.TotalProcessorTime.TotalSeconds;
    });

    // utime + stime (in 1/100 s) of every postgres process now.
    private static List<(int Pid, long Ticks)> PostgresTicks()
    {
        var all = new List<(int, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() is "postgres")
                {
                    var fields = File.ReadAllText(Path.Combine(dir, "stat")).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    all.Add((int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)));
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return all;
    }

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
