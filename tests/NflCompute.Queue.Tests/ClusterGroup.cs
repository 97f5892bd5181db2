using System.Diagnostics;
using System.Globalization;
using static NflCompute.Queue.Tests.RedisProcesses;

namespace NflCompute.Queue.Tests;

/// <summary>
/// A real Redis Cluster of one test's own on loopback: three masters and three replicas, with the
/// commands a test needs to see where a slot lives and to move it the way resharding does.
/// </summary>
public sealed class ClusterGroup : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nflc-cluster-");
    private readonly List<Process> _nodes = [];
    private readonly List<int> _ports = [];

    public ClusterGroup()
    {
        for (var i = 0; i < 6; i++)
        {
            var port = FreePort();
            var dir = Directory.CreateDirectory(Path.Combine(_dir.FullName, Text(port))).FullName;
            _ports.Add(port);
            _nodes.Add(RedisProcesses.Start(["--port", Text(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no",
                "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(dir, "nodes.conf"), "--cluster-node-timeout", "2000"]));
            WaitUntil(() => Cli(port, "PING") == "PONG", $"cluster node {port}");
        }

        var create = Process.Start(new ProcessStartInfo("redis-cli", ["--cluster", "create", .. _ports.Select(p => "127.0.0.1:" + Text(p)), "--cluster-replicas", "1", "--cluster-yes"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        create.StandardOutput.ReadToEnd();
        create.WaitForExit();
        WaitUntil(() => _ports.All(p => Cli(p, "CLUSTER", "INFO").Contains("cluster_state:ok", StringComparison.Ordinal)), "the cluster to be ok on every node", TimeSpan.FromSeconds(30));
    }

    /// <summary>The client configuration: every node.</summary>
    public string Configuration => string.Join(',', _ports.Select(p => "127.0.0.1:" + Text(p)));

    /// <summary>The ports of the masters.</summary>
    public IReadOnlyList<int> Masters => [.. _ports.Where(p => Cli(p, "ROLE").StartsWith("master", StringComparison.Ordinal))];

    /// <summary>The hash slot of a key.</summary>
    public int SlotOf(string key) => int.Parse(Cli(_ports[0], "CLUSTER", "KEYSLOT", key), CultureInfo.InvariantCulture);

    /// <summary>The master that owns a slot.</summary>
    public int OwnerOf(int slot) => Masters.Single(p => OwnsSlot(p, slot));

    /// <summary>How many keys of a slot a node holds.</summary>
    public long KeysInSlot(int port, int slot) => long.Parse(Cli(port, "CLUSTER", "COUNTKEYSINSLOT", Text(slot)), CultureInfo.InvariantCulture);

    /// <summary>
    /// Moves a slot to another master as resharding does: importing and migrating states, the keys
    /// in batches of <paramref name="keysPerMigrate"/> (redis-cli --cluster reshard moves 10 at a
    /// time), then the new owner announced to every master. Returns the number of keys moved.
    /// </summary>
    public int MigrateSlot(int slot, int to, int keysPerMigrate = 10)
    {
        var from = OwnerOf(slot);
        var (fromId, toId) = (Cli(from, "CLUSTER", "MYID"), Cli(to, "CLUSTER", "MYID"));
        Expect("OK", Cli(to, "CLUSTER", "SETSLOT", Text(slot), "IMPORTING", fromId));
        Expect("OK", Cli(from, "CLUSTER", "SETSLOT", Text(slot), "MIGRATING", toId));
        var moved = 0;
        while (true)
        {
            var keys = Cli(from, "CLUSTER", "GETKEYSINSLOT", Text(slot), Text(keysPerMigrate)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (keys.Length == 0)
            {
                break;
            }

            Expect("OK", Cli(from, ["MIGRATE", "127.0.0.1", Text(to), "", "0", "5000", "KEYS", .. keys]));
            moved += keys.Length;
        }

        foreach (var master in new[] { to, from }.Concat(Masters.Where(m => m != to && m != from)))
        {
            Expect("OK", Cli(master, "CLUSTER", "SETSLOT", Text(slot), "NODE", toId));
        }

        return moved;
    }

    public void Dispose()
    {
        foreach (var p in _nodes)
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

    private static bool OwnsSlot(int port, int slot)
    {
        // CLUSTER NODES: "<id> <addr> myself,master - ... <slot ranges>" for the node itself.
        var mine = Cli(port, "CLUSTER", "NODES").Split('\n').Single(l => l.Contains("myself", StringComparison.Ordinal));
        return mine.Split(' ').Skip(8).Where(r => !r.StartsWith('[')).Any(range =>
        {
            var ends = range.Split('-');
            var (low, high) = (int.Parse(ends[0], CultureInfo.InvariantCulture), int.Parse(ends[^1], CultureInfo.InvariantCulture));
            return slot >= low && slot <= high;
        });
    }

    private static void Expect(string expected, string reply)
    {
        if (reply != expected)
        {
            throw new InvalidOperationException($"Redis answered '{reply}', expected '{expected}'.");
        }
    }
}
