using System.Security.Cryptography;
using NflCompute.Core;
using NflCompute.Queue.Redis;
using StackExchange.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>The grid's Redis ACL users (RedisRoles), made on the test Redis for a namespace of their own.</summary>
public sealed class RedisRoleTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly string _ns = "acl-" + Guid.NewGuid().ToString("N")[..10];
    private readonly Dictionary<string, string> _passwords = RedisRoles.All.ToDictionary(r => r, _ => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    public Task InitializeAsync() => RedisRoles.SetUsersAsync(redis.Gateway, _ns, _passwords);

    public async Task DisposeAsync()
    {
        await RedisRoles.RemoveUsersAsync(redis.Gateway, _ns);
        await redis.Raw.GetDatabase().ExecuteAsync("DEL", $"{{{_ns}}}:cfg", $"{{{_ns}}}:classes");
    }

    [Fact]
    public async Task EachRole_RunsItsPartOfTheGrid_UnderItsOwnUser()
    {
        await using var admin = await ConnectAsync("admin");
        await using var submitter = await ConnectAsync("submitter");
        await using var worker = await ConnectAsync("worker");
        await using var dashboard = await ConnectAsync("dashboard");

        await Queue(admin).ConfigureAsync();
        var id = (await Queue(submitter).SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        var claimed = Assert.Single(await Queue(worker).ClaimAsync("w1", ["cpu"], 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(claimed.Id, Assert.Single((await Queue(dashboard).ListRunningAsync()).Items).Id);
        await Queue(worker).CompleteAsync(claimed, "{}");

        Assert.Equal(TaskState.Completed, (await Queue(dashboard).GetAsync(id))!.State);
        Assert.Equal(1, (await Queue(dashboard).GetCountsAsync()).CompletedTotal);
        // The dashboard's user reads; it cannot write the grid.
        await Assert.ThrowsAnyAsync<Exception>(() => Queue(dashboard).SubmitAsync(new TaskSubmission { Kind = "noop" }));
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("submitter")]
    [InlineData("dashboard")]
    [InlineData("admin")]
    public async Task NoRole_CanFlushConfigureScanOrTouchAnotherNamespace(string role)
    {
        using var raw = await ConnectionMultiplexer.ConnectAsync($"{RedisServer.Endpoint},allowAdmin=true,user={RedisRoles.UserOf(role, _ns)},password={_passwords[role]}");
        var db = raw.GetDatabase();

        foreach (var (command, args) in new (string, object[])[]
        {
            ("FLUSHALL", []),
            ("CONFIG", ["GET", "dir"]),
            ("KEYS", ["*"]),
            ("GET", ["{nflc}:cfg"]),
            ("HGETALL", ["{other-grid}:cfg"]),
            ("ACL", ["LIST"]),
        })
        {
            var refused = await Assert.ThrowsAsync<RedisServerException>(() => db.ExecuteAsync(command, args));
            Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
        }

        // A script of the queue, aimed at another namespace's keys, is refused too.
        await using var gateway = await ConnectAsync(role);
        await Assert.ThrowsAnyAsync<Exception>(() => new TaskQueue(gateway, new QueueOptions { Namespace = "other-grid" }).GetCountsAsync());
    }

    private TaskQueue Queue(RedisGateway gateway) => new(gateway, new QueueOptions { Namespace = _ns });

    private Task<RedisGateway> ConnectAsync(string role) =>
        RedisGateway.ConnectAsync(new RedisOptions { Configuration = RedisServer.Endpoint, User = RedisRoles.UserOf(role, _ns), Password = _passwords[role] });
}
