using System.Diagnostics;
using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Jobs.CompareModels;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>
/// The grid as an operator sees it on a bad day, bounded to about a minute: tasks flowing in waves,
/// worker processes SIGKILLed every couple of seconds and replaced (some while a server is down),
/// Redis killed with kill -9 and restarted from its AOF, Postgres unreachable for 5 s. Nothing may
/// be lost, stuck, run again once durable or written twice, and no worker may die quietly.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ChaosTests(PostgresServer postgres, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    // CI's size; bench/soak/run.sh sets larger ones (NFLC_CHAOS_WAVES, NFLC_CHAOS_NOOPS_PER_WAVE).
    private static readonly int Waves = Setting("NFLC_CHAOS_WAVES", 30);
    private static readonly int NoopsPerWave = Setting("NFLC_CHAOS_NOOPS_PER_WAVE", 60);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60 + (3 * Waves));

    [Fact]
    public async Task UnderKillsAndOutages_NoTaskIsLostOrStuck_NoneRunsAgainOrIsRewrittenOnceDurable_AndNoWorkerDiesQuietly()
    {
        var clock = Stopwatch.StartNew();
        using var redis = new PrivateRedisServer(appendOnly: true);
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        await using var pgGate = new TcpGate(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, postgres.Superuser.Port));
        var endpoint = redis.Endpoint;
        await using var gateway = await redis.ConnectAsync();
        var ns = "chaos-" + Guid.NewGuid().ToString("N")[..8];
        // A worker is killed every 2 s here, far more often than a real grid loses one, so a long task
        // may lose its worker more times than the default stall limit allows (LeaseTests holds that
        // limit); this grid allows more, and any dead letter fails the test with its reason.
        var queue = new TaskQueue(gateway, new QueueOptions { Namespace = ns, MaxStalls = 20 });
        await queue.ConfigureAsync();
        var comparison = await TestData.ComparisonAsync(new DatasetStore(db), seed: 5, games: 1000, hit: 0.6, miss: 0.45, permutationResamples: 20_000, bootstrapResamples: 200_000);

        var workers = new List<RunningWorker>();
        var killed = new HashSet<RunningWorker>();
        var orphans = new List<(string Id, int Attempt, DateTimeOffset KilledAt)>(); // what each killed worker was running
        var exitedOnTheirOwn = new List<RunningWorker>();
        RunningWorker Start(int n) => RunningWorker.Start(postgres, endpoint, ns, PostgresServer.DatabaseOf(db),
            ("NFLC_Worker__WorkerId", $"chaos-{n}"), ("NFLC_Postgres__Port", pgGate.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("NFLC_Worker__Lease", "00:00:03"), ("NFLC_Worker__RegistrationTtl", "00:00:04"), ("NFLC_Worker__RecoveryInterval", "00:00:01"),
            ("NFLC_Worker__Concurrency", "4"), ("NFLC_Worker__StartupPatience", "00:01:00"), ("NFLC_Worker__OutagePatience", "00:01:00"),
            ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{RunningWorker.FreePort()}"));
        for (var i = 0; i < 3; i++)
        {
            workers.Add(Start(workers.Count));
        }

        var (ids, submitting) = (new List<string>(), SubmitWavesAsync(queue, comparison));
        var faults = new List<string>();
        var random = new System.Random(12);
        var (redisKilled, postgresCut) = (false, false);
        try
        {
            while (!submitting.IsCompleted || (await Try(() => queue.GetCountsAsync()))?.CompletedTotal < (Waves * (NoopsPerWave + 1)))
            {
                Assert.True(clock.Elapsed < Deadline, $"not done after {Deadline}: {await Try(() => queue.GetCountsAsync())}; faults: {string.Join(", ", faults)}");

                // A dead letter is a task the chaos lost for good: say which and why at once, not at the deadline.
                var dead = await Try(() => queue.ListDeadLettersAsync());
                Assert.True(dead is null || dead.Total == 0, $"{dead?.Total} dead-lettered: {string.Join(" | ", dead?.Items.Select(d => $"{d.Kind} {d.Id} after {d.Attempts} attempts: {d.Error}") ?? [])}; faults: {string.Join(", ", faults)}");
                await Task.Delay(TimeSpan.FromSeconds(2));

                // A worker SIGKILLed mid-flight, and a new one in its place (it may start while a server is down).
                var victim = workers.Where(w => !w.Process.HasExited && !killed.Contains(w)).OrderBy(_ => random.Next()).FirstOrDefault();
                if (victim is not null && workers.Count < 40)
                {
                    var running = await Try(() => queue.ListRunningAsync(1000));
                    victim.Process.Kill();
                    var victimId = $"chaos-{workers.IndexOf(victim)}";
                    orphans.AddRange(running?.Items.Where(t => t.Worker == victimId).Select(t => (t.Id, t.Attempt, DateTimeOffset.UtcNow)) ?? []);
                    killed.Add(victim);
                    workers.Add(Start(workers.Count));
                    faults.Add($"kill at {clock.Elapsed.TotalSeconds:F0}s");
                }

                if (!redisKilled && clock.Elapsed > TimeSpan.FromSeconds(8))
                {
                    redis.KillAndRestart();
                    (redisKilled, faults) = (true, [.. faults, $"redis kill -9 at {clock.Elapsed.TotalSeconds:F0}s"]);
                }
                else if (!postgresCut && clock.Elapsed > TimeSpan.FromSeconds(16))
                {
                    pgGate.Close();
                    workers.Add(Start(workers.Count)); // started while Postgres is away: it must wait, not die
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    pgGate.Open();
                    (postgresCut, faults) = (true, [.. faults, $"postgres cut 5s at {clock.Elapsed.TotalSeconds:F0}s"]);
                }
            }

            ids = await submitting;

            // Every worker still alive has started (a SIGTERM before its host is up would just end the runtime).
            await Eventually.TrueAsync(() => Task.FromResult(workers.Where(w => !w.Process.HasExited).All(w => w.Output.ToString().Contains(" claims ", StringComparison.Ordinal))), TimeSpan.FromSeconds(60));
            exitedOnTheirOwn.AddRange(workers.Where(w => w.Process.HasExited && !killed.Contains(w)));
        }
        finally
        {
            foreach (var w in workers.Where(w => !w.Process.HasExited))
            {
                using var term = Process.Start("kill", ["-TERM", w.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await term!.WaitForExitAsync();
            }

            foreach (var w in workers)
            {
                await w.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
        }

        // 0 lost, 0 stuck: every task completed in Redis.
        var states = new Dictionary<TaskState, int>();
        foreach (var id in ids)
        {
            var state = (await queue.GetAsync(id))!.State;
            states[state] = states.GetValueOrDefault(state) + 1;
        }

        var report = $"{ids.Count} tasks, {killed.Count} workers killed, faults: {string.Join(", ", faults)}; states {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}";
        Assert.True(states.GetValueOrDefault(TaskState.Completed) == ids.Count, report);
        Assert.True(redisKilled && postgresCut, report);

        // One result per task; none run again once its result was durable; no attempt left open.
        Assert.Equal((long)ids.Count, await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM results"));
        var runAfterDurable = await TestData.ScalarAsync<long>(db, """
            SELECT count(*) FROM task_attempts a
            JOIN (SELECT task_id, min(at) AS durable FROM result_writes WHERE action IN ('insert', 'update') GROUP BY task_id) r USING (task_id)
            WHERE a.started_at > r.durable + interval '50 milliseconds' AND a.status NOT IN ('already-durable', 'lost')
            """);
        var rewritten = await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM (SELECT task_id FROM result_writes WHERE action IN ('insert', 'update') GROUP BY task_id HAVING count(*) > 1) t");
        var open = await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM task_attempts WHERE status = 'running'");
        Assert.True(runAfterDurable == 0, $"{runAfterDurable} attempts ran after their task's result was durable; {report}");
        Assert.True(open == 0, $"{open} attempts still 'running'; {report}");
        Assert.True(rewritten == 0, $"{rewritten} results were written more than once; {report}");

        // No worker died on its own (one that must stop says why with a non-zero code), and each
        // that was not SIGKILLed stopped cleanly on SIGTERM.
        Assert.True(exitedOnTheirOwn.Count == 0, $"workers that exited on their own: {string.Join(" | ", exitedOnTheirOwn.Select(w => $"exit {w.Process.ExitCode}: {Last(w)}"))}; {report}");
        var unclean = workers.Where(w => !killed.Contains(w) && w.Process.ExitCode != 0).Select(w => $"exit {w.Process.ExitCode}: {Last(w)}").ToList();
        Assert.True(unclean.Count == 0, $"workers that did not stop cleanly on SIGTERM: {string.Join(" | ", unclean)}; {report}");

        // The figures, for the record (bench/RESULTS.md keeps the longer soak's). Recovery: from a
        // worker's SIGKILL to the next attempt of each task it was running (lease, recovery pass and
        // a new claim); a task that ended before the kill took effect has no next attempt.
        var orphaned = string.Join(", ", orphans.Select(o => $"('{o.Id}', {o.Attempt}, '{o.KilledAt:O}'::timestamptz)"));
        var recovery = orphans.Count == 0 ? "no running task was killed" : await TestData.ScalarAsync<string>(db, $"""
            SELECT count(*) || ' tasks of killed workers recovered' || coalesce(', median ' || round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY gap))::numeric, 1)
                || ' s, p99 ' || round(extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY gap))::numeric, 1)
                || ' s, max ' || round(extract(epoch FROM max(gap))::numeric, 1) || ' s', '')
            FROM (SELECT (SELECT min(a.started_at) FROM task_attempts a WHERE a.task_id = o.id AND a.attempt > o.attempt) - o.killed_at AS gap
                  FROM (VALUES {orphaned}) AS o(id, attempt, killed_at)) g
            WHERE gap IS NOT NULL
            """);
        var durable = await TestData.ScalarAsync<long>(db, "SELECT count(*) FROM task_attempts WHERE status = 'already-durable'");
        output.WriteLine($"chaos: {report}; {recovery}; {durable} completed from a durable result without running; {runAfterDurable} run after durable; {rewritten} results rewritten; {clock.Elapsed.TotalSeconds:F0} s");
    }

    // Waves of no-op tasks and one comparison each, while the chaos goes on. A wave is submitted
    // with idempotency keys, so one retried across a Redis restart is queued once.
    private static async Task<List<string>> SubmitWavesAsync(TaskQueue queue, string comparison)
    {
        var ids = new List<string>();
        for (var w = 0; w < Waves; w++)
        {
            var wave = Enumerable.Range(0, NoopsPerWave).Select(i => new TaskSubmission { Kind = "noop", IdempotencyKey = $"w{w}-{i}" })
                .Append(new TaskSubmission { Kind = CompareModelsHandler.TaskKind, Payload = comparison, IdempotencyKey = $"w{w}-compare" }).ToList();
            while (true)
            {
                try
                {
                    ids.AddRange((await queue.SubmitBatchAsync(wave)).Select(r => r.Id));
                    break;
                }
                catch (GridUnavailableException)
                {
                    await Task.Delay(200);
                }
            }

            await Task.Delay(500);
        }

        return ids;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private static async Task<T?> Try<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (GridUnavailableException)
        {
            return null;
        }
    }

    private static string Last(RunningWorker w)
    {
        var lines = w.Output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "(no output)" : lines[^1];
    }
}
