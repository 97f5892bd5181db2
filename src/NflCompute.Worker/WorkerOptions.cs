using System.ComponentModel.DataAnnotations;
using NflCompute.Core.Configuration;

namespace NflCompute.Worker;

/// <summary>How a worker runs. Bound from configuration section <c>Worker</c> (<c>NFLC_Worker__*</c>).</summary>
public sealed class WorkerOptions : IValidatableObject
{
    /// <summary>The default of <see cref="Concurrency"/>.</summary>
    public const int DefaultConcurrency = 2;

    /// <summary>The default of <see cref="Lease"/>.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="HeartbeatInterval"/>.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>The default of <see cref="RegistrationTtl"/>.</summary>
    public static readonly TimeSpan DefaultRegistrationTtl = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="RecoveryInterval"/>.</summary>
    public static readonly TimeSpan DefaultRecoveryInterval = TimeSpan.FromSeconds(5);

    /// <summary>The default of <see cref="ScheduleInterval"/>.</summary>
    public static readonly TimeSpan DefaultScheduleInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default of <see cref="IdlePoll"/>.</summary>
    public static readonly TimeSpan DefaultIdlePoll = TimeSpan.FromMilliseconds(500);

    /// <summary>The default of <see cref="GracePeriod"/>.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(20);

    /// <summary>The default of <see cref="OutagePatience"/>.</summary>
    public static readonly TimeSpan DefaultOutagePatience = TimeSpan.FromMinutes(2);

    /// <summary>The default of <see cref="MaxRunTime"/>.</summary>
    public static readonly TimeSpan DefaultMaxRunTime = TimeSpan.FromHours(1);

    /// <summary>The default of <see cref="StartupPatience"/>.</summary>
    public static readonly TimeSpan DefaultStartupPatience = TimeSpan.FromMinutes(2);

    /// <summary>The default of <see cref="InlineResultBytes"/>.</summary>
    public const int DefaultInlineResultBytes = 16 * 1024;

    /// <summary>The default of <see cref="PersistBatchSize"/>.</summary>
    public const int DefaultPersistBatchSize = 500;

    /// <summary>The default of <see cref="PersistFlushes"/>.</summary>
    public const int DefaultPersistFlushes = 2;

    /// <summary>The default of <see cref="PersistBatchDelay"/>.</summary>
    public static readonly TimeSpan DefaultPersistBatchDelay = TimeSpan.FromMilliseconds(2);

    /// <summary>Unique per process.</summary>
    /// <value>The default is host-pid-random.</value>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// Classes to claim from, most demanding first. Default: what the device qualifies for
    /// (a GPU: gpu-high, gpu, cpu; a CPU: cpu).
    /// </summary>
    public IList<string>? Classes { get; set; }

    /// <summary>
    /// The device to run kernels on: "auto" (default: the first CUDA device, else the first OpenCL
    /// GPU, else the SIMD CPU backend; the log says which and why) or an id from DeviceCatalog
    /// ("cpu", "cuda:0", "opencl:0", or "ilgpu-cpu" to debug a kernel on ILGPU's CPU accelerator).
    /// An explicit device that is absent stops the worker; it never runs somewhere else instead.
    /// </summary>
    public string Device { get; set; } = "auto";

    /// <summary>Tasks run at once.</summary>
    /// <value>The default is 2.</value>
    [InRange(1, 1024)]
    public int Concurrency { get; set; } = DefaultConcurrency;

    /// <summary>The lease each claim takes; heartbeats renew it.</summary>
    /// <value>The default is 30 s.</value>
    public TimeSpan Lease { get; set; } = DefaultLease;

    /// <summary>Time between heartbeats; well under the lease.</summary>
    /// <value>The default is 5 s.</value>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>The registration lapses this long after the last heartbeat.</summary>
    /// <value>The default is 30 s.</value>
    public TimeSpan RegistrationTtl { get; set; } = DefaultRegistrationTtl;

    /// <summary>Time between recovery passes.</summary>
    /// <value>The default is 5 s.</value>
    [Duration("0", Exclusive = true)]
    public TimeSpan RecoveryInterval { get; set; } = DefaultRecoveryInterval;

    /// <summary>
    /// How often this worker runs a scheduler pass (submits the tasks of recurring schedules that
    /// are due; every worker may, each tick submits one task); zero: this worker runs none.
    /// </summary>
    /// <value>The default is 1 s.</value>
    [Duration("0", Why = "zero: no scheduler")]
    public TimeSpan ScheduleInterval { get; set; } = DefaultScheduleInterval;

    /// <summary>
    /// Longest wait between claims while the queues are empty. Only the fallback:
    /// an idle worker is woken when work is queued (pub/sub) and sleeps no later than the earliest
    /// delayed task's due time, so new and delayed tasks start at once either way.
    /// </summary>
    /// <value>The default is 500 ms.</value>
    [Duration("0", Exclusive = true)]
    public TimeSpan IdlePoll { get; set; } = DefaultIdlePoll;

    /// <summary>On shutdown, how long in-flight tasks may finish before they are handed back.</summary>
    /// <value>The default is 20 s.</value>
    [Duration("0")]
    public TimeSpan GracePeriod { get; set; } = DefaultGracePeriod;

    /// <summary>
    /// How long a finished task's result write, completion and history wait out a Redis or Postgres
    /// outage before the attempt counts as failed.
    /// </summary>
    /// <value>The default is 2 min.</value>
    public TimeSpan OutagePatience { get; set; } = DefaultOutagePatience;

    /// <summary>
    /// The longest a task may run; past it its kernels are stopped and it fails without retry, with
    /// that reason (a task that ran away would run away again).
    /// </summary>
    /// <value>The default is 1 h.</value>
    public TimeSpan MaxRunTime { get; set; } = DefaultMaxRunTime;

    /// <summary>Per kind, a maximum run time other than <see cref="MaxRunTime"/>, e.g. <c>Worker:MaxRunTimeByKind:season-sim = 00:10:00</c>.</summary>
    public IDictionary<string, TimeSpan> MaxRunTimeByKind { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>The maximum run time of a task of <paramref name="kind"/>.</summary>
    public TimeSpan MaxRunTimeOf(string kind) => MaxRunTimeByKind.TryGetValue(kind, out var limit) ? limit : MaxRunTime;

    /// <summary>
    /// How long a worker that starts while Redis or Postgres is down (or still starting) waits for
    /// them, retrying with backoff and logging each wait, before it exits with code 4.
    /// </summary>
    /// <value>The default is 2 min.</value>
    [Duration("0", Exclusive = true)]
    public TimeSpan StartupPatience { get; set; } = DefaultStartupPatience;

    /// <summary>Where /metrics (Prometheus text) and /health listen.</summary>
    /// <value>The default is http://127.0.0.1:9464.</value>
    public string MetricsUrl { get; set; } = "http://127.0.0.1:9464";

    /// <summary>Results up to this size also go to Redis, so waiting clients get them at once.</summary>
    /// <value>The default is 16 KiB.</value>
    public int InlineResultBytes { get; set; } = DefaultInlineResultBytes;

    /// <summary>
    /// Most results one Postgres transaction and one Redis completion carry. Results wait for a
    /// batch in a queue of twice this size; a full queue stops claiming (backpressure).
    /// </summary>
    /// <value>The default is 500.</value>
    [InRange(1, 10_000)]
    public int PersistBatchSize { get; set; } = DefaultPersistBatchSize;

    /// <summary>How long a result may wait for others to share its batch; 0 = write at once.</summary>
    /// <value>The default is 2 ms.</value>
    [Duration("0", "00:00:01")]
    public TimeSpan PersistBatchDelay { get; set; } = DefaultPersistBatchDelay;

    /// <summary>
    /// How many batches may be written at once (each its own Postgres transaction and Redis call):
    /// while one waits on its commit or completion, the next commits beside it; 1 = one at a time.
    /// </summary>
    /// <value>The default is 2.</value>
    [InRange(1, 16)]
    public int PersistFlushes { get; set; } = DefaultPersistFlushes;

    /// <summary>Problems with these settings, each naming <c>WorkerOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate() => SettingsValidator.Problems(this);

    /// <summary>The rules across settings and of values the attributes cannot name; the attributes check the rest.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(WorkerId) || WorkerId.Any(char.IsWhiteSpace))
        {
            yield return new($"WorkerOptions.WorkerId '{WorkerId}' must be non-empty without spaces.");
        }

        if (Classes is { Count: 0 })
        {
            yield return new("WorkerOptions.Classes is empty; name the classes this worker claims from, or leave it unset.");
        }

        if (!Uri.TryCreate(MetricsUrl, UriKind.Absolute, out var metrics) || metrics.Scheme is not ("http" or "https") || metrics.Port is < 1 or > 65535 || metrics.AbsolutePath != "/")
        {
            yield return new($"WorkerOptions.MetricsUrl '{MetricsUrl}' must be an http(s) address with a host and a port and no path, e.g. http://127.0.0.1:9464.");
        }

        foreach (var (kind, limit) in MaxRunTimeByKind.Append(new("(all kinds)", MaxRunTime)))
        {
            if (limit <= TimeSpan.Zero)
            {
                yield return new($"WorkerOptions.MaxRunTime for {kind} is {limit}; it must be positive.");
            }
        }

        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval * 2 >= Lease)
        {
            yield return new($"WorkerOptions.HeartbeatInterval ({HeartbeatInterval}) must be positive and under half of WorkerOptions.Lease ({Lease}).");
        }

        if (RegistrationTtl <= HeartbeatInterval)
        {
            yield return new($"WorkerOptions.RegistrationTtl ({RegistrationTtl}) must be longer than WorkerOptions.HeartbeatInterval ({HeartbeatInterval}).");
        }
    }
}
