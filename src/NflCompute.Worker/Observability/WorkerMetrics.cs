using System.Diagnostics.Metrics;

namespace NflCompute.Worker.Observability;

/// <summary>
/// The worker's instruments (meter "NflCompute.Worker"). Names follow nflc_&lt;thing&gt;_&lt;unit&gt;;
/// labels take few values (kind, outcome, device), never a task id.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "NflCompute.Worker";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Creates the instruments.</summary>
    public WorkerMetrics()
    {
        Tasks = _meter.CreateCounter<long>("nflc_tasks_total", description: "Task attempts finished by this worker, by kind and outcome.");
        Duration = _meter.CreateHistogram<double>("nflc_task_duration_seconds", "s", "Wall time of task attempts, by kind and device.");
        Claims = _meter.CreateCounter<long>("nflc_claims_total", description: "Tasks claimed.");
        Heartbeats = _meter.CreateCounter<long>("nflc_heartbeats_total", description: "Heartbeats sent.");
        InFlight = _meter.CreateUpDownCounter<long>("nflc_tasks_in_flight", description: "Tasks running now.");
        DeviceBusy = _meter.CreateCounter<double>("nflc_device_busy_seconds_total", "s", "Seconds the device spent running tasks.");
        PersistBatch = _meter.CreateHistogram<double>("nflc_persist_batch_seconds", "s", "Time to make one batch of results durable and complete it in Redis.");
        CircuitOpen = _meter.CreateUpDownCounter<long>("nflc_circuit_open", description: "1 while the circuit breaker around Redis and Postgres is open (a server is failing), else 0.");
    }

    /// <summary>Finished attempts: labels kind, outcome.</summary>
    public Counter<long> Tasks { get; }

    /// <summary>Attempt durations: labels kind, device.</summary>
    public Histogram<double> Duration { get; }

    /// <summary>Claimed tasks.</summary>
    public Counter<long> Claims { get; }

    /// <summary>Heartbeats.</summary>
    public Counter<long> Heartbeats { get; }

    /// <summary>Running tasks.</summary>
    public UpDownCounter<long> InFlight { get; }

    /// <summary>Device busy time: label device.</summary>
    public Counter<double> DeviceBusy { get; }

    /// <summary>Per persisted batch: the Postgres transaction and the Redis completion together.</summary>
    public Histogram<double> PersistBatch { get; }

    /// <summary>The circuit breaker's state: 1 open, 0 closed.</summary>
    public UpDownCounter<long> CircuitOpen { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
