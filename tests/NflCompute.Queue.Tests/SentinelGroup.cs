using System.Diagnostics;
using System.Globalization;
using static NflCompute.Queue.Tests.RedisProcesses;

namespace NflCompute.Queue.Tests;

/// <summary>
/// A real Sentinel deployment of one test's own on loopback: a master, two replicas (so one is
/// left to replicate to after a failover) and three sentinels (quorum 2, a master is down after
/// 1 s), so a test can kill the master and watch the grid follow the failover.
/// </summary>
public sealed class SentinelGroup : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nflc-sentinel-");
    private readonly Dictionary<int, Process> _servers = [];
    private readonly List<Process> _sentinels = [];
    private readonly List<int> _sentinelPorts = [];

    public SentinelGroup(string serviceName = "nflc-test")
    {
        ServiceName = serviceName;
        var master = FreePort();
        StartServer(master);
        StartServer(FreePort(), "--replicaof", "127.0.0.1", Text(master));
        StartServer(FreePort(), "--replicaof", "127.0.0.1", Text(master));
        for (var i = 0; i < 3; i++)
        {
            var port = FreePort();
            var config = Path.Combine(_dir.FullName, $"sentinel-{port}.conf");
            File.WriteAllText(config, $"""
                port {port}
                bind 127.0.0.1
                dir {_dir.FullName}
                sentinel monitor {serviceName} 127.0.0.1 {master} 2
                sentinel down-after-milliseconds {serviceName} 1000
                sentinel failover-timeout {serviceName} 5000
                sentinel parallel-syncs {serviceName} 1

                """);
            _sentinelPorts.Add(port);
            _sentinels.Add(RedisProcesses.Start([config, "--sentinel"]));
        }

        WaitUntil(() => Cli(_sentinelPorts[0], "SENTINEL", "REPLICAS", serviceName).Split('\n').Count(l => l == "flags") == 2
            && Cli(_sentinelPorts[0], "SENTINEL", "SENTINELS", serviceName).Split('\n').Count(l => l == "name") == 2
            && _servers.Keys.Where(p => p != master).All(p => Cli(p, "INFO", "replication").Contains("master_link_status:up", StringComparison.Ordinal)),
            "the sentinels to see the replicas and each other");
    }

    public string ServiceName { get; }

    /// <summary>The client configuration: the three sentinels and the service name.</summary>
    public string Configuration => string.Join(',', _sentinelPorts.Select(p => $"127.0.0.1:{p}")) + $",serviceName={ServiceName}";

    /// <summary>The port of the current master, as the sentinels say.</summary>
    public int MasterPort => int.Parse(Cli(_sentinelPorts[0], "SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName).Split('\n')[1], CultureInfo.InvariantCulture);

    /// <summary>kill -9 of the current master; returns once the sentinels promoted the replica, and how long that took.</summary>
    public TimeSpan KillMasterAndAwaitFailover()
    {
        var old = MasterPort;
        var clock = Stopwatch.StartNew();
        _servers[old].Kill();
        _servers[old].WaitForExit();
        _servers[old].Dispose();
        _servers.Remove(old);
        WaitUntil(() => MasterPort != old && Cli(MasterPort, "ROLE").StartsWith("master", StringComparison.Ordinal), "the sentinels to promote the replica", TimeSpan.FromSeconds(30));
        return clock.Elapsed;
    }

    public void Dispose()
    {
        foreach (var p in _sentinels.Concat(_servers.Values))
        {
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit();
            }

            p.Dispose();
        }

        _dir.Delete(recursive: true);
    }

    private void StartServer(int port, params string[] extra)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir.FullName, Text(port))).FullName;
        _servers[port] = RedisProcesses.Start(["--port", Text(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", .. extra]);
        WaitUntil(() => Cli(port, "PING") == "PONG", $"redis on port {port}");
    }
}
