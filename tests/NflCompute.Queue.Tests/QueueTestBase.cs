using StackExchange.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>Each test gets its own grid namespace, its own clock and a configured queue.</summary>
[Collection(RedisCollection.Name)]
public abstract class QueueTestBase(RedisServer redis) : IAsyncLifetime
{
    protected const string Worker = "worker-1";
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    protected static readonly string[] Cpu = ["cpu"];

    protected RedisServer Redis { get; } = redis;

    protected TestClock Clock { get; } = new();

    protected TaskQueue Queue { get; private set; } = null!;

    protected string Prefix => Queue.Options.Prefix;

    protected IDatabase Db => Redis.Raw.GetDatabase();

    /// <summary>Jitter draws the test controls; 0 gives exact backoff delays.</summary>
    protected double JitterDraw { get; set; }

    public virtual async Task InitializeAsync() => Queue = await NewQueueAsync(Configure);

    private readonly List<string> _prefixes = [];

    public async Task DisposeAsync()
    {
        foreach (var prefix in _prefixes)
        {
            await DeleteNamespaceAsync(prefix);
        }
    }

    protected virtual void Configure(QueueOptions options)
    {
    }

    protected async Task<TaskQueue> NewQueueAsync(Action<QueueOptions> configure, bool runConfigure = true)
    {
        var options = new QueueOptions { Namespace = "test-" + Guid.NewGuid().ToString("N")[..12] };
        options.Backoff = BackoffPolicy.Fixed(TimeSpan.FromSeconds(1));
        configure(options);
        var queue = new TaskQueue(Redis.Gateway, options, Clock, () => JitterDraw);
        _prefixes.Add(options.Prefix);
        if (runConfigure)
        {
            await queue.ConfigureAsync();
        }

        return queue;
    }

    protected Task<SubmitResult> SubmitAsync(string kind = "noop", int priority = 0, string cls = "cpu", string payload = "{}") =>
        Queue.SubmitAsync(new TaskSubmission { Kind = kind, Priority = priority, Class = cls, Payload = payload });

    protected async Task<ClaimedTask> ClaimOneAsync(string worker = Worker, string[]? classes = null)
    {
        var claimed = await Queue.ClaimAsync(worker, classes ?? Cpu, 1, Lease);
        return Assert.Single(claimed);
    }

    protected async Task<Core.TaskState> StateOf(string id) =>
        (await Queue.GetAsync(id) ?? throw new InvalidOperationException($"task {id} is gone")).State;

    // Plain EVAL (not the client's cached EVALSHA): some tests flush Redis's script cache. The
    // prefix goes in as the script's key, so on a Redis Cluster it runs on the node of the
    // namespace's slot, which holds every key of the namespace.
    protected async Task<long> KeyCountAsync(string prefix) =>
        (long)await Db.ExecuteAsync("EVAL", "return #redis.call('KEYS', ARGV[1])", 1, prefix, EscapeGlob(prefix) + ":*");

    private Task DeleteNamespaceAsync(string prefix) =>
        Db.ExecuteAsync(
            "EVAL",
            "local keys = redis.call('KEYS', ARGV[1]) for i = 1, #keys, 1000 do redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys))) end return #keys",
            1,
            prefix,
            EscapeGlob(prefix) + ":*");

    private static string EscapeGlob(string s) => s.Replace("{", "\\{", StringComparison.Ordinal).Replace("}", "\\}", StringComparison.Ordinal);
}
