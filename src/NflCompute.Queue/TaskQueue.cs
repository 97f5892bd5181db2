using System.Globalization;
using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

/// <summary>
/// The grid's queue: every operation on tasks, each one atomic script (or one read) in Redis.
/// Thread-safe; share one per process. Time comes from the injected <see cref="TimeProvider"/>
/// and is passed to every script, so tests control the clock.
/// </summary>
public sealed partial class TaskQueue
{
    private readonly RedisGateway _redis;
    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private readonly ScriptKeys _gridKeys;
    private readonly TaskIdSource _ids = new();

    /// <summary>Creates the queue over a connection.</summary>
    /// <param name="redis">The process's Redis gateway.</param>
    /// <param name="options">Validated settings; throws <see cref="OptionsValidationException"/> otherwise.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="jitter">Uniform draws in [0, 1) for backoff jitter; <see cref="Random.Shared"/> by default.</param>
    public TaskQueue(RedisGateway redis, QueueOptions options, TimeProvider? time = null, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidationException.ThrowIfAny(options.Validate());
        _redis = redis;
        Options = options;
        _time = time ?? TimeProvider.System;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _gridKeys = ScriptKeys.OfGrid(options.Prefix);
    }

    /// <summary>The settings this queue runs with.</summary>
    public QueueOptions Options { get; }

    /// <summary>The pub/sub channel announcing final states: messages "&lt;state letter&gt; id id ...".</summary>
    public string EventsChannel => Options.Prefix + ":events";

    /// <summary>The channel every script that queued work (pending or delayed) publishes on once per call.</summary>
    public string WakeChannel => Options.Prefix + ":wake";

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Writes the grid-wide settings (aging, attempts, backoff, stalls, retention, limits) and the
    /// classes to Redis. Run by whoever owns configuration, before submitting; idempotent.
    /// </summary>
    public async Task ConfigureAsync()
    {
        var o = Options;
        (string Name, string Value)[] settings =
        [
            ("aging_per_ms", (o.AgingPointsPerMinute / 60_000).ToString("R", CultureInfo.InvariantCulture)),
            ("max_attempts", Int(o.MaxAttempts)),
            ("backoff", o.Backoff.ToSpec()),
            ("max_stalls", Int(o.MaxStalls)),
            ("completed_ttl_ms", Int((long)o.CompletedRetention.TotalMilliseconds)),
            ("cancelled_ttl_ms", Int((long)o.CancelledRetention.TotalMilliseconds)),
            ("max_payload_bytes", Int(o.MaxPayloadBytes)),
            ("idempotency_ttl_ms", Int((long)o.IdempotencyWindow.TotalMilliseconds)),
        ];
        var args = new ScriptArgs(1 + (2 * settings.Length) + o.Classes.Count).Add(settings.Length);
        foreach (var (name, value) in settings)
        {
            args.Add(name).Add(value);
        }

        foreach (var c in o.Classes)
        {
            args.Add(c);
        }

        await _redis.EvaluateAsync(QueueScript.Configure, _gridKeys, args).ConfigureAwait(false);
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
