using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NflCompute.Queue.Tests;

/// <summary>What the tests that run redis-server processes of their own share: ports, redis-cli, waiting.</summary>
public static class RedisProcesses
{
    /// <summary>A loopback port nothing listens on now, with port + 10000 in range (a cluster node's bus).</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port + 10000 <= 65535)
            {
                return port;
            }
        }
    }

    /// <summary>One command through redis-cli on a connection of its own, and its reply as text.</summary>
    public static string Cli(int port, params string[] command)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", ["-p", Text(port), .. command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var reply = cli.StandardOutput.ReadToEnd().Trim();
        cli.WaitForExit();
        return reply;
    }

    /// <summary>Starts redis-server with these arguments.</summary>
    public static Process Start(params string[] arguments) => Process.Start(new ProcessStartInfo("redis-server", arguments) { RedirectStandardOutput = true })!;

    /// <summary>Polls every 50 ms; throws naming <paramref name="what"/> when <paramref name="timeout"/> (20 s) passes first.</summary>
    public static void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"Waited {deadline.Elapsed.TotalSeconds:F0} s for {what}.");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>A number as redis-server and redis-cli arguments write it.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
