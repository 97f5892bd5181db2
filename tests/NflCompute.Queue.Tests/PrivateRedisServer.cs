using System.Diagnostics;
using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>
/// A redis-server of one test's own on a free loopback port, for faults that would stall every
/// other test (a long script, a kill -9): optionally with an AOF synced on every write, so a kill
/// loses nothing acknowledged.
/// </summary>
public sealed class PrivateRedisServer : IDisposable
{
    private readonly string[] _arguments;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nflc-redis-");
    private Process? _process;

    public PrivateRedisServer(bool appendOnly = false, params string[] extra)
    {
        Port = RedisProcesses.FreePort();
        _arguments = ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dir.FullName, "--save", "",
            "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always", .. extra];
        _process = Launch();
    }

    public int Port { get; }

    /// <summary>The client configuration string, with short timeouts.</summary>
    public string Endpoint => $"127.0.0.1:{Port},connectTimeout=500,syncTimeout=3000";

    /// <summary>Connects once the server answers (it takes a moment to start).</summary>
    public async Task<RedisGateway> ConnectAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                return await RedisGateway.ConnectAsync(new RedisOptions { Configuration = Endpoint });
            }
            catch (GridUnavailableException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    /// <summary>kill -9, then the same server again on the same port and data folder.</summary>
    public void KillAndRestart()
    {
        Kill();
        Start();
    }

    /// <summary>kill -9: the server is gone until <see cref="Start"/>.</summary>
    public void Kill()
    {
        _process!.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port and data folder (after <see cref="Kill"/>).</summary>
    public void Start() => _process = Launch();

    /// <summary>True when the server answers PING (or asks who is calling: then it is up too).</summary>
    public bool Answers() => Cli("PING") is "PONG" or ['N', 'O', 'A', 'U', 'T', 'H', ..];

    /// <summary>One command through redis-cli (a connection of its own, opened now), and its reply as text.</summary>
    public string Cli(params string[] command) => RedisProcesses.Cli(Port, command);

    /// <summary>Saves the data as it is now (SAVE) and keeps a copy of the file: the point <see cref="KillAndRestartFrom"/> goes back to.</summary>
    public string Snapshot()
    {
        if (Cli("SAVE") is var reply && reply != "OK")
        {
            throw new InvalidOperationException($"SAVE answered '{reply}'.");
        }

        var copy = Path.Combine(_dir.FullName, $"snapshot-{Guid.NewGuid():N}.rdb");
        File.Copy(Path.Combine(_dir.FullName, "dump.rdb"), copy);
        return copy;
    }

    /// <summary>
    /// kill -9, then the server again from <paramref name="snapshot"/>: a Redis that lost every
    /// write after it, as one does that lost the tail of its log in a power cut, or a replica
    /// promoted before it had seen them.
    /// </summary>
    public void KillAndRestartFrom(string snapshot)
    {
        Kill();
        File.Copy(snapshot, Path.Combine(_dir.FullName, "dump.rdb"), overwrite: true);
        Start();
    }

    public void Dispose()
    {
        if (_process is null)
        {
            _dir.Delete(recursive: true);
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        _dir.Delete(recursive: true);
    }

    private Process Launch() => RedisProcesses.Start(_arguments);
}
