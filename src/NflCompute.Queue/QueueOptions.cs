using System.Text.RegularExpressions;

namespace NflCompute.Queue;

/// <summary>
/// Settings of one grid namespace. Bound from configuration section <c>Queue</c>
/// (<c>NFLC_Queue__*</c>); the grid-wide ones are written to Redis by
/// <see cref="TaskQueue.ConfigureAsync"/> so every script reads the same values.
/// </summary>
public sealed partial class QueueOptions
{
    /// <summary>The highest task priority; the lowest is 0.</summary>
    public const int MaxPriority = 1_000_000;

    /// <summary>
    /// The grid's name. Every Redis key is prefixed <c>{Namespace}:</c>; the braces make it a hash
    /// tag, so a grid lives in one Redis Cluster slot. Default <c>nflc</c>.
    /// </summary>
    public string Namespace { get; set; } = "nflc";

    /// <summary>The hardware classes tasks may target, most demanding first. Default gpu-high, gpu, cpu.</summary>
    public IList<string> Classes { get; set; } = ["gpu-high", "gpu", "cpu"];

    /// <summary>
    /// Priority aging: a waiting task's effective priority grows by this many points per minute, so
    /// a task of priority p waiting t minutes ranks as p + rate * t. Default 1. Applied at enqueue
    /// time at no cost per waiting task; a change affects tasks enqueued afterwards.
    /// </summary>
    public double AgingPointsPerMinute { get; set; } = 1.0;

    /// <summary>Attempts a task gets before a retryable failure sends it to the DLQ. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before retries. Default exponential from 1 s, capped at 5 min, 20 % jitter.</summary>
    public BackoffPolicy Backoff { get; set; } = BackoffPolicy.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), 0.2);

    /// <summary>
    /// How many times a task may lose its worker (lease expired, registration lapsed) and be
    /// requeued; the next stall sends it to the DLQ. Stalls do not use up attempts. Default 2.
    /// </summary>
    public int MaxStalls { get; set; } = 2;

    /// <summary>
    /// How long a completed task (and its result) stays readable. Default 1 day; 0 deletes at once.
    /// Recovery passes (<see cref="TaskQueue.RecoverAsync"/>) delete them once it has passed.
    /// </summary>
    public TimeSpan CompletedRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a cancelled task stays readable. Default 1 day.</summary>
    public TimeSpan CancelledRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Most completed tasks kept readable in Redis, whatever their age: recovery passes delete the
    /// oldest beyond it (their results stay in Postgres), so a busy grid's memory stays flat.
    /// Default 100,000; 0 for no bound but <see cref="CompletedRetention"/>.
    /// </summary>
    public int CompletedMaxCount { get; set; } = 100_000;

    /// <summary>
    /// How long a dead letter stays in the DLQ (and readable) before recovery passes delete it; its
    /// attempts and reason stay in Postgres. Default 30 days; 0 keeps dead letters until purged.
    /// </summary>
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The largest payload accepted, in UTF-8 bytes. Default 256 KiB: big inputs belong in datasets.</summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>Most tasks one batch submit may hold (one Lua call, which Redis runs alone). Default 10,000.</summary>
    public int MaxBatchTasks { get; set; } = 10_000;

    /// <summary>Most payload bytes one batch submit may hold. Default 16 MiB.</summary>
    public long MaxBatchBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Largest dataset a client may stage in Redis (workers move it to Postgres). Default 64 MiB.</summary>
    public long MaxDatasetBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long an idempotency key keeps returning its first task. Default 1 day.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most expired leases, dead workers and due tasks handled per recovery pass. Default 1000.</summary>
    public int RecoveryBatchSize { get; set; } = 1000;

    /// <summary>The key prefix, e.g. <c>{nflc}</c>.</summary>
    public string Prefix => "{" + Namespace + "}";

    /// <summary>Problems with these settings, each naming <c>QueueOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!NamePattern().IsMatch(Namespace ?? ""))
        {
            problems.Add($"QueueOptions.Namespace '{Namespace}' must be 1-64 letters, digits, '-', '_' or '.'.");
        }

        if (Classes is null || Classes.Count == 0)
        {
            problems.Add("QueueOptions.Classes is empty; name at least one hardware class, e.g. cpu.");
        }
        else
        {
            foreach (var c in Classes.Where(c => !NamePattern().IsMatch(c ?? "")))
            {
                problems.Add($"QueueOptions.Classes has '{c}'; a class must be 1-64 letters, digits, '-', '_' or '.'.");
            }

            if (Classes.Distinct(StringComparer.Ordinal).Count() != Classes.Count)
            {
                problems.Add("QueueOptions.Classes names a class twice.");
            }
        }

        if (!(AgingPointsPerMinute >= 0 && AgingPointsPerMinute <= 1e6))
        {
            problems.Add($"QueueOptions.AgingPointsPerMinute is {AgingPointsPerMinute}; it must be in [0, 1e6].");
        }

        if (MaxAttempts is < 1 or > 1000)
        {
            problems.Add($"QueueOptions.MaxAttempts is {MaxAttempts}; it must be in 1..1000.");
        }

        if (Backoff is null)
        {
            problems.Add("QueueOptions.Backoff is missing.");
        }
        else
        {
            problems.AddRange(Backoff.Validate("QueueOptions.Backoff"));
        }

        if (MaxStalls is < 0 or > 1000)
        {
            problems.Add($"QueueOptions.MaxStalls is {MaxStalls}; it must be in 0..1000.");
        }

        if (CompletedRetention < TimeSpan.Zero)
        {
            problems.Add("QueueOptions.CompletedRetention must not be negative.");
        }

        if (CancelledRetention < TimeSpan.Zero)
        {
            problems.Add("QueueOptions.CancelledRetention must not be negative.");
        }

        if (CompletedMaxCount < 0)
        {
            problems.Add($"QueueOptions.CompletedMaxCount is {CompletedMaxCount}; it must be 0 (no bound) or more.");
        }

        if (DeadLetterRetention < TimeSpan.Zero)
        {
            problems.Add("QueueOptions.DeadLetterRetention must not be negative (0 keeps dead letters until purged).");
        }

        if (MaxBatchTasks < 1 || MaxBatchBytes < 1)
        {
            problems.Add($"QueueOptions.MaxBatchTasks ({MaxBatchTasks}) and QueueOptions.MaxBatchBytes ({MaxBatchBytes}) must be positive.");
        }

        if (MaxDatasetBytes is < 1 or > 512L * 1024 * 1024)
        {
            problems.Add($"QueueOptions.MaxDatasetBytes is {MaxDatasetBytes}; it must be in 1..536870912 (Redis strings stop at 512 MiB).");
        }

        if (MaxPayloadBytes is < 1 or > 64 * 1024 * 1024)
        {
            problems.Add($"QueueOptions.MaxPayloadBytes is {MaxPayloadBytes}; it must be in 1..67108864.");
        }

        if (IdempotencyWindow < TimeSpan.FromSeconds(1))
        {
            problems.Add("QueueOptions.IdempotencyWindow must be at least 1 second.");
        }

        if (RecoveryBatchSize is < 1 or > 100_000)
        {
            problems.Add($"QueueOptions.RecoveryBatchSize is {RecoveryBatchSize}; it must be in 1..100000.");
        }

        return problems;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    internal static partial Regex NamePattern();
}
