using System.Diagnostics;
using System.Net;
using System.Text;
using NflCompute.Core;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;
using NflCompute.Worker.Observability;

namespace NflCompute.Worker.Tests;

/// <summary>The worker process's tracing: off unless the OTEL_* variables ask for it, then OTLP to the endpoint they name.</summary>
[Collection(RedisCollection.Name)]
public sealed class WorkerTracingTests(RedisServer redis, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("http://127.0.0.1:4318", null, null, true)]
    [InlineData("http://127.0.0.1:4318", "true", null, false)]
    [InlineData("http://127.0.0.1:4318", null, "none", false)]
    [InlineData(" ", null, null, false)]
    public void Tracing_IsOnlyConfiguredWhenAnOtlpEndpointIsSet_AndNotTurnedOff(string? endpoint, string? disabled, string? exporter, bool expected)
    {
        var environment = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint, ["OTEL_SDK_DISABLED"] = disabled, ["OTEL_TRACES_EXPORTER"] = exporter };

        Assert.Equal(expected, WorkerTracing.IsConfigured(name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public async Task WithoutOtelSettings_TheWorkerMakesNoSpans_EvenForATracedTask()
    {
        var (queue, database) = await GridAsync();
        using var worker = RunningWorker.Start(postgres, RedisServer.Endpoint, queue.Options.Namespace, database, ("NFLC_Worker__WorkerId", "untraced-worker"), ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{RunningWorker.FreePort()}"));

        var (id, traceId) = await SubmitTracedAsync(queue);
        Assert.Equal(TaskState.Completed, (await queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100))).State);
        var completedLine = await LogLineAsync(worker, $"Task {id} completed");

        Assert.DoesNotContain(traceId, completedLine, StringComparison.Ordinal);
        Assert.DoesNotContain("\"TraceId\"", completedLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TheWorkerContinuesTheTrace_AndSendsItThere_AndItsLogLinesNameIt()
    {
        var (queue, database) = await GridAsync();
        var port = RunningWorker.FreePort();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var received = new List<(string Path, string Type, byte[] Body)>();
        var receiving = ReceiveAsync(receiver, received);
        using var worker = RunningWorker.Start(
            postgres, RedisServer.Endpoint, queue.Options.Namespace, database,
            ("NFLC_Worker__WorkerId", "traced-worker"),
            ("NFLC_Worker__MetricsUrl", $"http://127.0.0.1:{RunningWorker.FreePort()}"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{port}"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"));

        var (id, traceId) = await SubmitTracedAsync(queue);
        Assert.Equal(TaskState.Completed, (await queue.WaitAsync(id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100))).State);
        var traceBytes = Convert.FromHexString(traceId);
        var taskBytes = Encoding.UTF8.GetBytes(id);
        await Eventually.TrueAsync(() =>
        {
            lock (received)
            {
                return Task.FromResult(received.Any(r => r.Body.AsSpan().IndexOf(traceBytes) >= 0 && r.Body.AsSpan().IndexOf(taskBytes) >= 0));
            }
        }, TimeSpan.FromSeconds(30));
        var completedLine = await LogLineAsync(worker, $"Task {id} completed");

        lock (received)
        {
            var export = received.First(r => r.Body.AsSpan().IndexOf(traceBytes) >= 0);
            Assert.Equal(("/v1/traces", "application/x-protobuf"), (export.Path, export.Type));
            Assert.True(export.Body.AsSpan().IndexOf("nflc-worker"u8) >= 0, "the spans name their service");
        }

        Assert.Contains($"\"TraceId\":\"{traceId}\"", completedLine, StringComparison.Ordinal);
        Assert.Contains("\"SpanId\"", completedLine, StringComparison.Ordinal);
        receiver.Stop();
        await receiving;
    }

    private async Task<(TaskQueue Queue, string Database)> GridAsync()
    {
        await using var db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(db).MigrateAsync();
        var queue = new TaskQueue(redis.Gateway, new QueueOptions { Namespace = "wtrace-" + Guid.NewGuid().ToString("N")[..8] });
        await queue.ConfigureAsync();
        return (queue, PostgresServer.DatabaseOf(db));
    }

    // Submits a no-op inside a span of the test's own, as a traced client would.
    private static async Task<(string Id, string TraceId)> SubmitTracedAsync(TaskQueue queue)
    {
        using var source = new ActivitySource("NflCompute.Tests.Submitter");
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == source.Name, Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        using var span = source.StartActivity("modeler submits")!;
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        Assert.Equal(span.Id, (await queue.GetAsync(id))!.TraceParent);
        return (id, span.TraceId.ToHexString());
    }

    private static async Task<string> LogLineAsync(RunningWorker worker, string text)
    {
        string? line = null;
        await Eventually.TrueAsync(() =>
        {
            lock (worker.Output)
            {
                line = worker.Output.ToString().Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            }

            return Task.FromResult(line is not null);
        }, TimeSpan.FromSeconds(30));
        return line!;
    }

    private static async Task ReceiveAsync(HttpListener receiver, List<(string Path, string Type, byte[] Body)> received)
    {
        while (receiver.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await receiver.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            lock (received)
            {
                received.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", body.ToArray()));
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
