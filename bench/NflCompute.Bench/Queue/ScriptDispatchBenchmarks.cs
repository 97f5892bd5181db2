using BenchmarkDotNet.Attributes;
using NflCompute.Queue;
using NflCompute.Queue.Redis;

namespace NflCompute.Bench.Queue;

/// <summary>
/// One script call through RedisGateway (EVALSHA of counts.lua, a read of a dozen keys) against
/// the local Redis (deploy/local/up.sh; NFLC_Redis__Configuration to point elsewhere): the
/// client's per-call cost plus one loopback round trip.
/// </summary>
[MemoryDiagnoser]
public class ScriptDispatchBenchmarks
{
    private RedisGateway _gateway = null!;
    private TaskQueue _queue = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _gateway = await RedisGateway.ConnectAsync(new RedisOptions { Configuration = new LoadSettings().Redis });
        _queue = new TaskQueue(_gateway, new QueueOptions { Namespace = "bench-dispatch" });
        await _queue.ConfigureAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _gateway.DisposeAsync();

    [Benchmark]
    public async Task<long> CountsRoundTrip() => (await _queue.GetCountsAsync()).Pending;
}
