using System.Globalization;
using System.Text;

namespace NflCompute.Dashboard;

/// <summary>
/// The grid-wide Prometheus gauges, exported once (by the dashboard) rather than by every worker:
/// queue depth and oldest age per class, tasks per state, the DLQ, live workers by device kind and
/// by class, each worker's heartbeat age, and the regressions recorded in Postgres.
/// </summary>
public static class GridExporter
{
    /// <summary>The exposition text of one sample.</summary>
    public static string Render(GridSample sample, long regressions)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var text = new StringBuilder();
        void Family(string name, string type, string help) => text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        void Value(string name, string labels, double value) =>
            text.Append(name).Append(labels.Length == 0 ? "" : "{" + labels + "}").Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        static string Label(string name, string value) => $"{name}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

        var c = sample.Counts;
        Family("nflc_queue_pending", "gauge", "Tasks waiting to be claimed, by hardware class.");
        foreach (var (cls, n) in c.PendingByClass.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Value("nflc_queue_pending", Label("class", cls), n);
        }

        Family("nflc_queue_tasks", "gauge", "Tasks by state (pending is summed over classes).");
        foreach (var (state, n) in new[] { ("pending", c.Pending), ("waiting", c.Waiting), ("delayed", c.Delayed), ("running", c.Running), ("dead_letter", c.DeadLetters) })
        {
            Value("nflc_queue_tasks", Label("state", state), n);
        }

        Family("nflc_queue_oldest_age_seconds", "gauge", "Age of the oldest task waiting in each class (0 when none waits).");
        foreach (var (cls, since) in sample.Overview.OldestPendingSince.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Value("nflc_queue_oldest_age_seconds", Label("class", cls), since is { } s ? Math.Max(0, (sample.At - s).TotalSeconds) : 0);
        }

        Family("nflc_dlq_size", "gauge", "Tasks in the dead-letter queue.");
        Value("nflc_dlq_size", "", c.DeadLetters);

        var workers = sample.Overview.Workers;
        Family("nflc_workers_live", "gauge", "Live workers by device kind (CpuSimd, Cuda, OpenCl, IlgpuCpu).");
        foreach (var group in workers.GroupBy(w => w.Profile.GetValueOrDefault("backend", "unknown"), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Value("nflc_workers_live", Label("backend", group.Key), group.Count());
        }

        Family("nflc_workers_live_by_class", "gauge", "Live workers that claim each class.");
        foreach (var cls in c.PendingByClass.Keys.Order(StringComparer.Ordinal))
        {
            Value("nflc_workers_live_by_class", Label("class", cls), workers.Count(w => w.Profile.GetValueOrDefault("classes", "").Split(',').Contains(cls)));
        }

        Family("nflc_worker_heartbeat_age_seconds", "gauge", "Seconds since each live worker's last heartbeat.");
        foreach (var w in workers.OrderBy(w => w.WorkerId, StringComparer.Ordinal))
        {
            Value("nflc_worker_heartbeat_age_seconds", Label("worker", w.WorkerId), HeartbeatAge(w, sample.At));
        }

        Family("nflc_regressions", "gauge", "Model regressions recorded in Postgres.");
        Value("nflc_regressions", "", regressions);

        Family("nflc_tasks_finished_total", "counter", "Tasks that reached a final state, by state.");
        foreach (var (state, n) in new[] { ("completed", c.CompletedTotal), ("failed", c.FailedTotal), ("cancelled", c.CancelledTotal) })
        {
            Value("nflc_tasks_finished_total", Label("state", state), n);
        }

        return text.ToString();
    }

    /// <summary>Seconds since a worker's last heartbeat: its registration's expiry minus its time to live.</summary>
    public static double HeartbeatAge(Queue.LiveWorker worker, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var ttl = long.TryParse(worker.Profile.GetValueOrDefault("ttlMs"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : 0;
        return Math.Max(0, (now - (worker.ExpiresAt - TimeSpan.FromMilliseconds(ttl))).TotalSeconds);
    }
}
