using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;

namespace NflCompute.Bench.Tracing;

/// <summary>
/// Makes the bench's submissions traced, as a traced modeler's would be: every submit batch gets
/// a span (NflCompute.Queue), sampled by trace id with <paramref name="ratio"/> (the unsampled ones
/// still carry their context, flag 00, as W3C asks), so each task stores a traceparent.
/// </summary>
internal sealed class TracedSubmissions(double ratio) : IDisposable
{
    private readonly ActivityListener _listener = Listen(ratio);

    public void Dispose() => _listener.Dispose();

    private static ActivityListener Listen(double ratio)
    {
        var below = (ulong)(ratio * ulong.MaxValue);
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "NflCompute.Queue",
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
            {
                Span<byte> id = stackalloc byte[16];
                o.TraceId.CopyTo(id);
                return BinaryPrimitives.ReadUInt64BigEndian(id[8..]) <= below ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData;
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}

/// <summary>An OTLP/HTTP receiver on loopback that accepts and counts what the workers export, and keeps nothing.</summary>
internal sealed class OtlpSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _receiving;
    private long _bytes;
    private long _requests;

    public OtlpSink(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _receiving = Task.Run(ReceiveAsync);
    }

    public string Endpoint { get; }

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Requests => Interlocked.Read(ref _requests);

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _receiving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            try
            {
                var context = await _listener.GetContextAsync().ConfigureAwait(false);
                var buffer = new byte[64 * 1024];
                long n = 0;
                int read;
                while ((read = await context.Request.InputStream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    n += read;
                }

                Interlocked.Add(ref _bytes, n);
                Interlocked.Increment(ref _requests);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }
}
