using System.Net;
using System.Net.Sockets;

namespace NflCompute.Worker.Tests;

/// <summary>
/// A loopback TCP forwarder the test can shut like a server going down: closing drops every
/// connection and refuses new ones; opening listens again on the same port.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _open = new();

    public TcpGate(IPEndPoint target)
    {
        _target = target;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Open();
    }

    public int Port { get; }

    public void Open()
    {
        _open = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _open.Token);
    }

    public void Close()
    {
        _open.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
            _connections.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _open.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken open)
    {
        try
        {
            while (!open.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(open);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(_target, open);
                lock (_connections)
                {
                    _connections.Add(client);
                    _connections.Add(upstream);
                }

                _ = PumpAsync(client, upstream, open);
                _ = PumpAsync(upstream, client, open);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    // Copies one direction; when either side closes (a client process killed, say), both are
    // closed, as a real server would see its client go, so no upstream connection is left behind.
    private async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken open)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), open);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            lock (_connections)
            {
                _connections.Remove(from);
                _connections.Remove(to);
            }

            from.Dispose();
            to.Dispose();
        }
    }
}
