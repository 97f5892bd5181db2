using Prometheus;

namespace NflCompute.Dashboard;

/// <summary>
/// The grid-wide Prometheus metrics, exported once (by the dashboard) rather than by every worker:
/// queue depth, oldest age and paused state per class, tasks per state, the DLQ, live workers by device kind and
/// by class, each worker's heartbeat age, the tasks finished, and the regressions recorded in
/// Postgres. Each scrape sets them from the sampler's latest sample, so Redis is read once per
/// sample interval however many scrapers there are; series whose label is gone (a worker that
/// left) go with it.
/// </summary>
public sealed class GridMetrics
{
    private readonly Gauge _pending;
    private readonly Gauge _tasks;
    private readonly Gauge _oldestAge;
    private readonly Gauge _paused;
    private readonly Gauge _dlq;
    private readonly Gauge _workersLive;
    private readonly Gauge _workersByClass;
    private readonly Gauge _heartbeatAge;
    private readonly Gauge _regressions;
    private readonly Counter _finished;

    /// <summary>Registers the metrics; <paramref name="regressions"/> counts the regressions in Postgres at each scrape.</summary>
    public GridMetrics(GridSampler sampler, Func<CancellationToken, Task<long>> regressions)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(regressions);
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        _pending = f.CreateGauge("nflc_queue_pending", "Tasks waiting to be claimed, by hardware class.", "class");
        _tasks = f.CreateGauge("nflc_queue_tasks", "Tasks by state (pending is summed over classes).", "state");
        _oldestAge = f.CreateGauge("nflc_queue_oldest_age_seconds", "Age of the oldest task waiting in each class (0 when none waits).", "class");
        _paused = f.CreateGauge("nflc_queue_paused", "1 while a class is paused (claims skip it), else 0.", "class");
        _dlq = f.CreateGauge("nflc_dlq_size", "Tasks in the dead-letter queue.");
        _workersLive = f.CreateGauge("nflc_workers_live", "Live workers by device kind (CpuSimd, Cuda, OpenCl, IlgpuCpu).", "backend");
        _workersByClass = f.CreateGauge("nflc_workers_live_by_class", "Live workers that claim each class.", "class");
        _heartbeatAge = f.CreateGauge("nflc_worker_heartbeat_age_seconds", "Seconds since each live worker's last heartbeat.", "worker");
        _regressions = f.CreateGauge("nflc_regressions", "Model regressions recorded in Postgres.");
        _finished = f.CreateCounter("nflc_tasks_finished_total", "Tasks that reached a final state, by state.", "state");
        Registry.AddBeforeCollectCallback(async cancel => Set(await sampler.LatestAsync().ConfigureAwait(false), await regressions(cancel).ConfigureAwait(false)));
    }

    /// <summary>Where the metrics are: /metrics serves it.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Sets every metric from one sample.</summary>
    public void Set(GridSample sample, long regressions)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var c = sample.Counts;
        SetAll(_pending, c.PendingByClass.Select(p => (p.Key, (double)p.Value)));
        SetAll(_tasks, [("pending", c.Pending), ("waiting", c.Waiting), ("delayed", c.Delayed), ("running", c.Running), ("dead_letter", c.DeadLetters)]);
        SetAll(_oldestAge, sample.Overview.OldestPendingSince.Select(p => (p.Key, p.Value is { } s ? Math.Max(0, (sample.At - s).TotalSeconds) : 0)));
        SetAll(_paused, c.PendingByClass.Keys.Select(cls => (cls, c.Paused.ContainsKey(cls) ? 1.0 : 0.0)));
        _dlq.Set(c.DeadLetters);
        var workers = sample.Overview.Workers;
        SetAll(_workersLive, workers.GroupBy(w => w.Profile.GetValueOrDefault("backend", "unknown"), StringComparer.Ordinal).Select(g => (g.Key, (double)g.Count())));
        SetAll(_workersByClass, c.PendingByClass.Keys.Select(cls => (cls, (double)workers.Count(w => w.Claims(cls)))));
        SetAll(_heartbeatAge, workers.Select(w => (w.WorkerId, sample.HeartbeatAgeOf(w))));
        _regressions.Set(regressions);
        foreach (var (state, n) in new[] { ("completed", c.CompletedTotal), ("failed", c.FailedTotal), ("cancelled", c.CancelledTotal) })
        {
            _finished.WithLabels(state).IncTo(n);
        }
    }

    // One series per label value in the sample; the series of values no longer in it are removed.
    private static void SetAll(Gauge gauge, IEnumerable<(string Label, double Value)> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (label, value) in values)
        {
            gauge.WithLabels(label).Set(value);
            seen.Add(label);
        }

        foreach (var labels in gauge.GetAllLabelValues().ToList())
        {
            if (!seen.Contains(labels[0]))
            {
                gauge.RemoveLabelled(labels);
            }
        }
    }
}
