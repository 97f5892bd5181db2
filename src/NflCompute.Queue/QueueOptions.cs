using System.ComponentModel.DataAnnotations;
using NflCompute.Core.Configuration;

namespace NflCompute.Queue;

/// <summary>
/// Settings of one grid namespace. Bound from configuration section <c>Queue</c>
/// (<c>NFLC_Queue__*</c>); the grid-wide ones are written to Redis by
/// <see cref="TaskQueue.ConfigureAsync"/> so every script reads the same values.
/// </summary>
public sealed class QueueOptions : IValidatableObject
{
    /// <summary>The highest task priority; the lowest is 0.</summary>
    public const int MaxPriority = 1_000_000;

    /// <summary>The default of <see cref="AgingPointsPerMinute"/>.</summary>
    public const double DefaultAgingPointsPerMinute = 1.0;

    /// <summary>The default of <see cref="MaxAttempts"/>.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The default of <see cref="Backoff"/>.</summary>
    public static readonly BackoffPolicy DefaultBackoff = BackoffPolicy.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), 0.2);

    /// <summary>The default of <see cref="MaxStalls"/>.</summary>
    public const int DefaultMaxStalls = 2;

    /// <summary>The default of <see cref="CompletedRetention"/>.</summary>
    public static readonly TimeSpan DefaultCompletedRetention = TimeSpan.FromDays(1);

    /// <summary>The default of <see cref="CancelledRetention"/>.</summary>
    public static readonly TimeSpan DefaultCancelledRetention = TimeSpan.FromDays(1);

    /// <summary>The default of <see cref="CompletedMaxCount"/>.</summary>
    public const int DefaultCompletedMaxCount = 100_000;

    /// <summary>The default of <see cref="DeadLetterRetention"/>.</summary>
    public static readonly TimeSpan DefaultDeadLetterRetention = TimeSpan.FromDays(30);

    /// <summary>The default of <see cref="MaxPayloadBytes"/>.</summary>
    public const int DefaultMaxPayloadBytes = 256 * 1024;

    /// <summary>The default of <see cref="MaxBatchTasks"/>.</summary>
    public const int DefaultMaxBatchTasks = 10_000;

    /// <summary>The default of <see cref="MaxBatchBytes"/>.</summary>
    public const long DefaultMaxBatchBytes = 16L * 1024 * 1024;

    /// <summary>The default of <see cref="MaxDatasetBytes"/>.</summary>
    public const long DefaultMaxDatasetBytes = 64L * 1024 * 1024;

    /// <summary>The default of <see cref="IdempotencyWindow"/>.</summary>
    public static readonly TimeSpan DefaultIdempotencyWindow = TimeSpan.FromDays(1);

    /// <summary>The default of <see cref="RecoveryBatchSize"/>.</summary>
    public const int DefaultRecoveryBatchSize = 1000;

    /// <summary>
    /// The grid's name. Every Redis key is prefixed <c>{Namespace}:</c>; the braces make it a hash
    /// tag, so a grid lives in one Redis Cluster slot.
    /// </summary>
    /// <value>The default is <c>nflc</c>.</value>
    [GridName]
    public string Namespace { get; set; } = "nflc";

    /// <summary>The hardware classes tasks may target, most demanding first.</summary>
    /// <value>The default is gpu-high, gpu, cpu.</value>
    [NotBlank("name at least one hardware class, e.g. cpu")]
    [GridName(Each = true)]
    [Distinct]
    public IList<string> Classes { get; set; } = ["gpu-high", "gpu", "cpu"];

    /// <summary>
    /// Priority aging: a waiting task's effective priority grows by this many points per minute, so
    /// a task of priority p waiting t minutes ranks as p + rate * t. Applied at enqueue
    /// time at no cost per waiting task; a change affects tasks enqueued afterwards.
    /// </summary>
    /// <value>The default is 1.</value>
    [InRange(0.0, 1e6)]
    public double AgingPointsPerMinute { get; set; } = DefaultAgingPointsPerMinute;

    /// <summary>Attempts a task gets before a retryable failure sends it to the DLQ.</summary>
    /// <value>The default is 3.</value>
    [InRange(1, 1000)]
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>Delay before retries.</summary>
    /// <value>The default is exponential from 1 s, capped at 5 min, 20 % jitter (<see cref="DefaultBackoff"/>).</value>
    public BackoffPolicy Backoff { get; set; } = DefaultBackoff;

    /// <summary>
    /// How many times a task may lose its worker (lease expired, registration lapsed) and be
    /// requeued; the next stall sends it to the DLQ. Stalls do not use up attempts.
    /// </summary>
    /// <value>The default is 2.</value>
    [InRange(0, 1000)]
    public int MaxStalls { get; set; } = DefaultMaxStalls;

    /// <summary>
    /// How long a completed task (and its result) stays readable. 0 deletes at once.
    /// Recovery passes (<see cref="TaskQueue.RecoverAsync"/>) delete them once it has passed.
    /// </summary>
    /// <value>The default is 1 day.</value>
    [Duration("0", Why = "0 deletes at once")]
    public TimeSpan CompletedRetention { get; set; } = DefaultCompletedRetention;

    /// <summary>How long a cancelled task stays readable.</summary>
    /// <value>The default is 1 day.</value>
    [Duration("0")]
    public TimeSpan CancelledRetention { get; set; } = DefaultCancelledRetention;

    /// <summary>
    /// Most completed tasks kept readable in Redis, whatever their age: recovery passes delete the
    /// oldest beyond it (their results stay in Postgres), so a busy grid's memory stays flat.
    /// 0 for no bound but <see cref="CompletedRetention"/>.
    /// </summary>
    /// <value>The default is 100,000.</value>
    [InRange(0, int.MaxValue, Why = "0 for no bound")]
    public int CompletedMaxCount { get; set; } = DefaultCompletedMaxCount;

    /// <summary>
    /// How long a dead letter stays in the DLQ (and readable) before recovery passes delete it; its
    /// attempts and reason stay in Postgres. 0 keeps dead letters until purged.
    /// </summary>
    /// <value>The default is 30 days.</value>
    [Duration("0", Why = "0 keeps dead letters until purged")]
    public TimeSpan DeadLetterRetention { get; set; } = DefaultDeadLetterRetention;

    /// <summary>The largest payload accepted, in UTF-8 bytes.</summary>
    /// <value>The default is 256 KiB: big inputs belong in datasets.</value>
    [InRange(1, 64 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>Most tasks one batch submit may hold (one Lua call, which Redis runs alone).</summary>
    /// <value>The default is 10,000.</value>
    [InRange(1, int.MaxValue)]
    public int MaxBatchTasks { get; set; } = DefaultMaxBatchTasks;

    /// <summary>Most payload bytes one batch submit may hold.</summary>
    /// <value>The default is 16 MiB.</value>
    [InRange(1, long.MaxValue)]
    public long MaxBatchBytes { get; set; } = DefaultMaxBatchBytes;

    /// <summary>Largest dataset a client may stage in Redis (workers move it to Postgres).</summary>
    /// <value>The default is 64 MiB.</value>
    [InRange(1, 512L * 1024 * 1024, Why = "Redis strings stop at 512 MiB")]
    public long MaxDatasetBytes { get; set; } = DefaultMaxDatasetBytes;

    /// <summary>How long an idempotency key keeps returning its first task.</summary>
    /// <value>The default is 1 day.</value>
    [Duration("00:00:01")]
    public TimeSpan IdempotencyWindow { get; set; } = DefaultIdempotencyWindow;

    /// <summary>Most expired leases, dead workers and due tasks handled per recovery pass.</summary>
    /// <value>The default is 1000.</value>
    [InRange(1, 100_000)]
    public int RecoveryBatchSize { get; set; } = DefaultRecoveryBatchSize;

    /// <summary>The key prefix, e.g. <c>{nflc}</c>.</summary>
    public string Prefix => "{" + Namespace + "}";

    /// <summary>Problems with these settings, each naming <c>QueueOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate() => SettingsValidator.Problems(this);

    /// <summary>The rules across settings and of the nested backoff; the attributes check the rest.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        (Backoff is null ? ["QueueOptions.Backoff is missing."] : Backoff.Validate("QueueOptions.Backoff")).Select(p => new ValidationResult(p));
}
