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
    /// classes to Redis: the admin step (<c>nflc grid configure</c>, the demo), before submitting;
    /// idempotent. Workers do not run it: they check theirs with <see cref="ConfigurationDifferencesAsync"/>.
    /// </summary>
    public async Task ConfigureAsync()
    {
        var settings = GridSettings();
        var args = new ScriptArgs(1 + (2 * settings.Count) + Options.Classes.Count).Add(settings.Count);
        foreach (var (name, value) in settings)
        {
            args.Add(name).Add(value);
        }

        foreach (var c in Options.Classes)
        {
            args.Add(c);
        }

        await _redis.EvaluateAsync(QueueScript.Configure, _gridKeys, args).ConfigureAwait(false);
    }

    /// <summary>
    /// Where this process's queue options disagree with the grid's (as the admin step wrote them),
    /// one line each; empty when they agree.
    /// </summary>
    /// <exception cref="GridNotConfiguredException">The grid was never configured.</exception>
    public async Task<IReadOnlyList<string>> ConfigurationDifferencesAsync()
    {
        var r = await ReplyAsync(QueueScript.Settings, new ScriptArgs(0)).ConfigureAwait(false);
        var grid = r.Pairs("setting").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (grid.Count == 0)
        {
            throw new GridNotConfiguredException(Options.Prefix);
        }

        var differences = GridSettings()
            .Where(s => !grid.TryGetValue(s.Name, out var value) || value != s.Value)
            .Select(s => $"{s.Name}: the grid has {(grid.TryGetValue(s.Name, out var value) ? value : "nothing")}, this process {s.Value}")
            .ToList();
        var classes = new HashSet<string>(StringComparer.Ordinal);
        while (r.More)
        {
            classes.Add(r.String("class"));
        }

        differences.AddRange(Options.Classes.Where(c => !classes.Contains(c)).Select(c => $"class {c}: this process has it, the grid does not"));
        return differences;
    }

    // Runs a script and reads its array reply by name.
    private async Task<ReplyReader> ReplyAsync(QueueScript script, ScriptArgs args, bool replicated = false) =>
        new((await _redis.EvaluateAsync(script, _gridKeys, args, replicated).ConfigureAwait(false)).AsArray(), script);

    // The grid-wide settings as configure.lua stores them (and settings.lua reads them back).
    private List<(string Name, string Value)> GridSettings()
    {
        var o = Options;
        return
        [
            ("aging_per_ms", (o.AgingPointsPerMinute / 60_000).ToString("R", CultureInfo.InvariantCulture)),
            ("max_attempts", Int(o.MaxAttempts)),
            ("backoff", o.Backoff.ToSpec()),
            ("max_stalls", Int(o.MaxStalls)),
            ("completed_ttl_ms", Int((long)o.CompletedRetention.TotalMilliseconds)),
            ("cancelled_ttl_ms", Int((long)o.CancelledRetention.TotalMilliseconds)),
            ("completed_max", Int(o.CompletedMaxCount)),
            ("dlq_ttl_ms", Int((long)o.DeadLetterRetention.TotalMilliseconds)),
            ("max_payload_bytes", Int(o.MaxPayloadBytes)),
            ("idempotency_ttl_ms", Int((long)o.IdempotencyWindow.TotalMilliseconds)),
        ];
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
