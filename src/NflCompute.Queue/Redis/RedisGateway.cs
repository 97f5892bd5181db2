using NflCompute.Core.Errors;
using NflCompute.Queue.Scripts;
using StackExchange.Redis;

namespace NflCompute.Queue.Redis;

/// <summary>
/// The one class that talks to Redis (StackExchange.Redis 1.2.6): scripts by SHA with a reload on
/// NOSCRIPT, and pub/sub. Swapping the client library means changing this file
/// and the two value wrappers beside it. One per process: the multiplexer is meant to be shared.
/// </summary>
public sealed class RedisGateway : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly ScriptLibrary _scripts;

    private RedisGateway(ConnectionMultiplexer connection, ScriptLibrary scripts)
    {
        _connection = connection;
        _db = connection.GetDatabase();
        _scripts = scripts;
    }

    /// <summary>Connects, or throws <see cref="GridUnavailableException"/> naming the endpoint.</summary>
    public static async Task<RedisGateway> ConnectAsync(RedisOptions options, ScriptLibrary? scripts = null)
    {
        OptionsValidationException.ThrowIfAny(options.Validate());
        var config = ConfigurationOptions.Parse(options.Configuration);
        config.AbortOnConnectFail = false;
        config.Ssl |= options.UseTls;
        config.Password = options.Password
            ?? (options.PasswordFile is null ? null : (await File.ReadAllTextAsync(options.PasswordFile).ConfigureAwait(false)).Trim());
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
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

        return new RedisGateway(connection, scripts ?? ScriptLibrary.Embedded);
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

    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public async Task<byte[]?> GetAsync(string key)
    {
        try
        {
            return await _db.StringGetAsync(key).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable("Redis is unavailable", e);
        }
    }

    /// <summary>Runs a script by SHA; after the server lost its scripts (restart, failover, SCRIPT FLUSH) sends the text once.</summary>
    public async Task<ScriptReply> EvaluateAsync(QueueScript script, ScriptKeys keys, ScriptArgs args)
    {
        var loaded = _scripts[script];
        var values = args.ToArray();
        try
        {
            try
            {
                return new ScriptReply(await _db.ScriptEvaluateAsync(loaded.Sha1, keys.Keys, values).ConfigureAwait(false));
            }
            catch (RedisServerException e) when (IsNoScript(e))
            {
                return new ScriptReply(await ReloadAndEvaluateAsync(loaded.Text, keys.Keys, values).ConfigureAwait(false));
            }
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable($"Redis did not answer {ScriptLibrary.FileName(script)}", e);
        }
    }

    // The text overload sends EVAL when the client has not cached the script, else EVALSHA; a
    // NOSCRIPT answer clears that cache, so a second try is sure to send EVAL and load it again.
    private async Task<RedisResult> ReloadAndEvaluateAsync(string text, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await _db.ScriptEvaluateAsync(text, keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            return await _db.ScriptEvaluateAsync(text, keys, values).ConfigureAwait(false);
        }
    }

    private static bool IsNoScript(RedisServerException e) => e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);

    // Replies that mean "not now" rather than "no": a Redis replaying its log after a restart
    // (LOADING), one running a long script (BUSY), a replica after a failover (READONLY), a
    // cluster moving slots or without a master (TRYAGAIN, CLUSTERDOWN, MASTERDOWN). Every caller
    // sees them, like a dropped connection, as GridUnavailableException: transient, waited out.
    private static readonly string[] TransientReplies = ["LOADING", "BUSY", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN"];

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
            await subscriber.SubscribeAsync(channel, handler).ConfigureAwait(false);
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
        public async ValueTask DisposeAsync() => await subscriber.UnsubscribeAsync(channel, handler).ConfigureAwait(false);
    }
}
