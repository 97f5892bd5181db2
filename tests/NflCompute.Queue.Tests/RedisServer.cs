using NflCompute.Queue.Redis;
using StackExchange.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>
/// The Redis every test runs against: NFLC_Redis__Configuration, else the one deploy/local/up.sh
/// starts. Missing, it fails every test with what to start; it never lets a test pass silently.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public static string Endpoint =>
        Environment.GetEnvironmentVariable("NFLC_Redis__Configuration") is { Length: > 0 } configured ? configured : "127.0.0.1:16379";

    public RedisGateway Gateway { get; private set; } = null!;

    /// <summary>A plain client for tests that look inside Redis (allowAdmin for SCRIPT FLUSH and INFO).</summary>
    public ConnectionMultiplexer Raw { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            Gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = Endpoint });
            Raw = await ConnectionMultiplexer.ConnectAsync(Endpoint + ",allowAdmin=true");
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"These tests need a Redis server at {Endpoint}. Start one with deploy/local/up.sh " +
                "(or set NFLC_Redis__Configuration). The cause: " + e.Message, e);
        }
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Raw.CloseAsync();
        Raw.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
