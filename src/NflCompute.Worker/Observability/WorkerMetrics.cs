using System.Collections.Concurrent;
using NflCompute.Jobs;
using Prometheus;

namespace NflCompute.Worker.Observability;

/// <summary>
/// The worker's Prometheus metrics, in a registry of its own (<see cref="Registry"/>, served on
/// /metrics). Names follow nflc_&lt;thing&gt;_&lt;unit&gt;; labels take few values (kind, outcome,
/// device, class, model), never a task id.
/// </summary>
public sealed class WorkerMetrics : IJobMetrics
{
    /// <summary>Buckets of task durations: milliseconds for no-ops up to an hour for long kernels.</summary>
    public static readonly double[] DurationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>Buckets of queue waits (submit to first claim): a busy grid's milliseconds up to a backlog's hour.</summary>
    public static readonly double[] WaitBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    /// <summary>Buckets of persisted batches (a Postgres transaction and a Redis call).</summary>
    public static readonly double[] BatchBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter _tasks;
    private readonly Histogram _duration;
    private readonly Counter _deviceBusy;
    private readonly Histogram _queueWait;
    private readonly Counter _claims;
    private readonly Counter _heartbeats;
    private readonly Gauge _inFlight;
    private readonly Histogram _persistBatch;
    private readonly Gauge _circuitOpen;
    private readonly Counter _regressions;

    // WithLabels looks a series up by its label values on every call (6% of a no-op task's
    // worker CPU): the series an attempt touches are looked up once per label set and kept.
    // Label values come from a few kinds, outcomes, devices and classes, so these stay small.
    private readonly ConcurrentDictionary<(string Kind, string Outcome, string Device), AttemptSeries> _attemptSeries = new();
    private readonly ConcurrentDictionary<string, Histogram.Child> _queueWaitSeries = new(StringComparer.Ordinal);

    /// <summary>Creates the metrics in a new registry, with the process's own (CPU, memory, GC) beside them.</summary>
    public WorkerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var f = Metrics.WithCustomRegistry(Registry);
        _tasks = f.CreateCounter("nflc_tasks_total", "Task attempts finished by this worker, by kind and outcome.", "kind", "outcome");
        _duration = f.CreateHistogram("nflc_task_duration_seconds", "Wall time of task attempts, by device and kind.", ["device", "kind"], new HistogramConfiguration { Buckets = DurationBuckets });
        _deviceBusy = f.CreateCounter("nflc_device_busy_seconds_total", "Seconds the device spent running tasks.", "device");
        _queueWait = f.CreateHistogram("nflc_queue_wait_seconds", "Time from submission to the first claim, by class (first attempts only; the submitter's clock against the worker's).", ["class"], new HistogramConfiguration { Buckets = WaitBuckets });
        _claims = f.CreateCounter("nflc_claims_total", "Tasks claimed.");
        _heartbeats = f.CreateCounter("nflc_heartbeats_total", "Heartbeats sent.");
        _inFlight = f.CreateGauge("nflc_tasks_in_flight", "Tasks held now: running, or waiting for their batch to be made durable.");
        _persistBatch = f.CreateHistogram("nflc_persist_batch_seconds", "Time to make one batch of results durable and complete it in Redis.", new HistogramConfiguration { Buckets = BatchBuckets });
        _circuitOpen = f.CreateGauge("nflc_circuit_open", "1 while the circuit breaker around Redis and Postgres is open (a server is failing), else 0.");
        _regressions = f.CreateCounter("nflc_regressions_total", "Model regressions recorded by regression-check, by model.", "model");
    }

    /// <summary>Where the metrics are: /metrics serves it.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>An attempt ended with <paramref name="outcome"/> after <paramref name="seconds"/> on <paramref name="device"/>.</summary>
    public void AttemptEnded(string kind, string outcome, string device, double seconds)
    {
        var series = _attemptSeries.GetOrAdd((kind, outcome, device), static (k, m) => new(m._tasks.WithLabels(k.Kind, k.Outcome), m._duration.WithLabels(k.Device, k.Kind), m._deviceBusy.WithLabels(k.Device)), this);
        series.Tasks.Inc();
        series.Duration.Observe(seconds);
        series.DeviceBusy.Inc(seconds);
    }

    /// <summary>An attempt ended without running: its result was durable already.</summary>
    public void AttemptFoundDurable(string kind) => _tasks.WithLabels(kind, "already-durable").Inc();

    /// <summary>A first attempt was claimed <paramref name="seconds"/> after its submission.</summary>
    public void QueueWaited(string taskClass, double seconds) =>
        _queueWaitSeries.GetOrAdd(taskClass, static (c, wait) => wait.WithLabels(c), _queueWait).Observe(Math.Max(0, seconds));

    /// <summary>Tasks claimed in one call.</summary>
    public void Claimed(int count) => _claims.Inc(count);

    /// <summary>A heartbeat went out.</summary>
    public void HeartbeatSent() => _heartbeats.Inc();

    /// <summary>A task is held (+1) or let go (-1).</summary>
    public void InFlight(int change) => _inFlight.Inc(change);

    /// <summary>A batch was made durable and completed in <paramref name="seconds"/>.</summary>
    public void BatchPersisted(double seconds) => _persistBatch.Observe(seconds);

    /// <summary>The circuit breaker opened (true) or closed.</summary>
    public void CircuitOpen(bool open) => _circuitOpen.Set(open ? 1 : 0);

    /// <inheritdoc />
    public void RegressionFound(string model) => _regressions.WithLabels(model).Inc();

    // The series one attempt's end touches, for one kind, outcome and device.
    private sealed record AttemptSeries(Counter.Child Tasks, Histogram.Child Duration, Counter.Child DeviceBusy);
}
