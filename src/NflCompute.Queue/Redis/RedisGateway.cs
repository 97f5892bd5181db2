using System.Diagnostics;
using NflCompute.Core.Errors;
using NflCompute.Core.Telemetry;
using NflCompute.Queue.Scripts;
using StackExchange.Redis;

namespace NflCompute.Queue.Redis;

/// <summary>
/// The one class that talks to Redis (StackExchange.Redis 3.x): scripts, pub/sub and the few plain
/// reads and writes, on a single server, through Sentinel (the client follows a failover to the
/// promoted replica) or on a Redis Cluster. Swapping the client library means changing this file
/// and the value wrappers beside it. One per process: the multiplexer is meant to be shared.
/// </summary>
public sealed class RedisGateway : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly ScriptLibrary _scripts;
    private readonly int _waitForReplicas;
    private readonly long _waitTimeoutMs;

    private RedisGateway(ConnectionMultiplexer connection, ScriptLibrary scripts, RedisOptions options)
    {
        _connection = connection;
        _db = connection.GetDatabase();
        _scripts = scripts;
        (_waitForReplicas, _waitTimeoutMs) = (options.WaitForReplicas, (long)options.WaitForReplicasTimeout.TotalMilliseconds);
    }

    // Every server this client knows (each node of a cluster, replicas included): what holds
    // per-server state such as ACL users.
    internal IEnumerable<IServer> Servers => _connection.GetEndPoints().Select(e => _connection.GetServer(e));

    /// <summary>Connects, or throws <see cref="GridUnavailableException"/> naming the endpoint.</summary>
    public static async Task<RedisGateway> ConnectAsync(RedisOptions options, ScriptLibrary? scripts = null)
    {
        OptionsValidationException.ThrowIfAny(options.Validate());
        var config = await ClientConfigurationAsync(options).ConfigureAwait(false);
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            // Not an outage: waiting would not help, so it is a configuration error (exit 3).
            throw new OptionsValidationException([FindInner<System.Security.Authentication.AuthenticationException>(e) is { } tls
                ? $"Redis at {options.Configuration}: the TLS handshake failed ({tls.Message}); check RedisOptions.TlsCaFile (the CA that signed the server's certificate) and RedisOptions.TlsHost (the name on it)."
                : $"Redis at {options.Configuration} refused the login of user '{options.User ?? "default"}': wrong user or password (RedisOptions.User, RedisOptions.Password or RedisOptions.PasswordFile)."]);
        }
        catch (RedisConnectionException e)
        {
            throw new GridUnavailableException($"Cannot connect to Redis at {options.Configuration}: {e.Message}", e);
        }

        if (!connection.IsConnected)
        {
            var status = connection.GetStatus();
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
            throw new GridUnavailableException(
                $"Cannot connect to Redis at {options.Configuration}. Is it running? (locally: deploy/local/up.sh) {status}",
                new InvalidOperationException(status));
        }

        return new RedisGateway(connection, scripts ?? ScriptLibrary.Embedded, options);
    }

    private static T? FindInner<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    // The client's settings: the configuration string (endpoints, serviceName= for Sentinel, flags),
    // then what RedisOptions says on top of it. A lost connection is retried with a randomized
    // exponential backoff from ReconnectBackoff up to ReconnectMaxBackoff, checked on a 250 ms
    // heartbeat, so a worker is back well within a second of Redis answering again.
    internal static async Task<ConfigurationOptions> ClientConfigurationAsync(RedisOptions options)
    {
        var config = ConfigurationOptions.Parse(options.Configuration);
        // The first connect fails at once, with the reason (refused login, nothing listening);
        // callers wait out an outage themselves. Later reconnects never give up.
        config.AbortOnConnectFail = true;
        config.ReconnectRetryPolicy = new ExponentialRetry((int)options.ReconnectBackoff.TotalMilliseconds, (int)options.ReconnectMaxBackoff.TotalMilliseconds);
        config.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        // No tie-breaker key: Sentinel or the cluster names the master, and a grid's Redis users
        // may read only the grid's keys.
        config.TieBreaker = "";
        config.User = options.User ?? config.User;
        config.Password = options.Password
            ?? (options.PasswordFile is null ? config.Password : (await File.ReadAllTextAsync(options.PasswordFile).ConfigureAwait(false)).Trim());
        config.Ssl |= options.UseTls;
        if (options.TlsHost is not null)
        {
            config.SslHost = options.TlsHost;
        }

        if (options.TlsCaFile is not null)
        {
            config.TrustIssuer(options.TlsCaFile);
        }

        return config;
    }

    /// <summary>Stores a value under <paramref name="key"/> unless one is there, expiring after <paramref name="ttl"/>; true when stored.</summary>
    public async Task<bool> SetIfAbsentAsync(string key, byte[] value, TimeSpan ttl)
    {
        try
        {
            return await _db.StringSetAsync(key, value, ttl, When.NotExists).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable("Redis is unavailable", e);
        }
    }

    /// <summary>
    /// The value under <paramref name="key"/>, or null; its length is read first, and a value
    /// longer than <paramref name="maxBytes"/> is not fetched (<see cref="ValueTooLargeException"/>).
    /// </summary>
    public async Task<byte[]?> GetAsync(string key, long maxBytes)
    {
        try
        {
            var length = await _db.StringLengthAsync(key).ConfigureAwait(false);
            return length > maxBytes
                ? throw new ValueTooLargeException(key, length, maxBytes)
                : await _db.StringGetAsync(key).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable("Redis is unavailable", e);
        }
    }

    /// <summary>
    /// Runs a script. The client sends it by SHA once the server has it (SCRIPT LOAD on first use),
    /// and after the server lost its scripts (restart, failover, SCRIPT FLUSH) loads it again. With
    /// <paramref name="replicated"/> and <see cref="RedisOptions.WaitForReplicas"/> set, it returns
    /// only once that many replicas have the script's writes.
    /// </summary>
    /// <exception cref="GridUnavailableException">Redis did not answer, or too few replicas acknowledged in time.</exception>
    public async Task<ScriptReply> EvaluateAsync(QueueScript script, ScriptKeys keys, ScriptArgs args, bool replicated = false)
    {
        // A client span per script call, inside traced operations only (idle claims and heartbeats
        // would otherwise each start a trace of their own).
        using var activity = GridTracing.Queue.StartStep(ScriptLibrary.FileName(script), ActivityKind.Client);
        activity?.SetTag("db.system.name", "redis").SetTag("db.operation.name", "EVALSHA").SetTag("db.query.summary", "EVALSHA " + ScriptLibrary.FileName(script));
        try
        {
            var reply = await EvaluateWaitingOutMigrationAsync(script, keys.Keys, args.ToArray()).ConfigureAwait(false);
            if (replicated && _waitForReplicas > 0)
            {
                await WaitForReplicasAsync(script).ConfigureAwait(false);
            }

            return new ScriptReply(reply);
        }
        catch (Exception e) when (IsTransient(e))
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw Unavailable($"Redis did not answer {ScriptLibrary.FileName(script)}", e);
        }
    }

    // A cluster answers TRYAGAIN, before running the script, while it migrates the grid's slot
    // (lua/common.lua): retried here for up to TryAgainPatience with a doubling wait, so a
    // resharding costs callers a pause, not an error.
    private static readonly TimeSpan TryAgainPatience = TimeSpan.FromSeconds(10);

    // Read-only scripts go as EVALSHA_RO: a user with read-only access to the grid's keys (the
    // dashboard's, RedisRoles) may run them, and Redis refuses any write they might attempt.
    private async Task<RedisResult> EvaluateWaitingOutMigrationAsync(QueueScript script, RedisKey[] keys, RedisValue[] values)
    {
        var (wait, waited) = (TimeSpan.FromMilliseconds(5), TimeSpan.Zero);
        while (true)
        {
            try
            {
                return await EvaluateBySha1Async(script, keys, values).ConfigureAwait(false);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal) && waited < TryAgainPatience)
            {
                await Task.Delay(wait).ConfigureAwait(false);
                waited += wait;
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
            }
        }
    }

    // By the SHA-1 the library computed once: the client's own script cache would key it by the
    // script's whole text (tens of KB hashed and compared on every call). A server that does not
    // have the script (new, restarted, failed over, SCRIPT FLUSH) answers NOSCRIPT, and the call
    // goes once with the text, which the server then keeps.
    private async Task<RedisResult> EvaluateBySha1Async(QueueScript script, RedisKey[] keys, RedisValue[] values)
    {
        var readOnly = ScriptLibrary.IsReadOnly(script);
        try
        {
            return readOnly
                ? await _db.ScriptEvaluateReadOnlyAsync(_scripts.Sha1Of(script), keys, values).ConfigureAwait(false)
                : await _db.ScriptEvaluateAsync(_scripts.Sha1Of(script), keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return readOnly
                ? await _db.ScriptEvaluateReadOnlyAsync(_scripts[script], keys, values).ConfigureAwait(false)
                : await _db.ScriptEvaluateAsync(_scripts[script], keys, values).ConfigureAwait(false);
        }
    }

    // WAIT counts the replicas that have every write this connection made so far: the multiplexer
    // sends all calls to the master over one connection, so that includes the script's.
    private async Task WaitForReplicasAsync(QueueScript script)
    {
        var acknowledged = (long)await _db.ExecuteAsync("WAIT", _waitForReplicas, _waitTimeoutMs).ConfigureAwait(false);
        if (acknowledged < _waitForReplicas)
        {
            throw new GridUnavailableException(
                $"{ScriptLibrary.FileName(script)} was applied on the Redis master but only {acknowledged} of {_waitForReplicas} replicas acknowledged it within {_waitTimeoutMs} ms (Redis:WaitForReplicas); a failover now could lose it. Retrying is safe for submissions with an idempotency key.",
                new TimeoutException("WAIT timed out"));
        }
    }

    // Replies that mean "not now" rather than "no": a Redis replaying its log after a restart
    // (LOADING), one running a long script (BUSY), a replica after a failover (READONLY), a
    // cluster moving slots or without a master (TRYAGAIN, CLUSTERDOWN, MASTERDOWN, and MOVED or
    // ASK when the client has not followed them itself). Every caller sees them, like a dropped
    // connection, as GridUnavailableException: transient, waited out.
    private static readonly string[] TransientReplies = ["LOADING", "BUSY", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "MOVED", "ASK"];

    /// <summary>Whether a Redis error is worth waiting out (the one place that decides it).</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => IsTransientReply(server.Message),
        _ => false,
    };

    /// <summary>Whether an error reply's first word is one of <see cref="TransientReplies"/>.</summary>
    internal static bool IsTransientReply(string reply) => TransientReplies.Contains(reply.Split(' ', 2)[0], StringComparer.Ordinal);

    private static GridUnavailableException Unavailable(string what, Exception e) => new($"{what}: {e.Message}", e);

    /// <summary>Subscribes to a channel; dispose the result to unsubscribe.</summary>
    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage)
    {
        var subscriber = _connection.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, message) => onMessage(message!);
        try
        {
            await subscriber.SubscribeAsync(RedisChannel.Literal(channel), handler).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable($"Redis did not take the subscription to {channel}", e);
        }

        return new Subscription(subscriber, channel, handler);
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync().ConfigureAwait(false);
        _connection.Dispose();
    }

    private sealed class Subscription(ISubscriber subscriber, string channel, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await subscriber.UnsubscribeAsync(RedisChannel.Literal(channel), handler).ConfigureAwait(false);
    }
}
