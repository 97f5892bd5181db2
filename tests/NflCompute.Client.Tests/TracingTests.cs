using System.Diagnostics;
using NflCompute.Core.Jobs;
using NflCompute.Core.Telemetry;
using NflCompute.Jobs;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;
using NflCompute.Worker.Tests;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace NflCompute.Client.Tests;

/// <summary>
/// Traces across the grid with the OpenTelemetry SDK and its in-memory exporter: a submit through
/// the client, a real worker (in process), Redis and Postgres.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class TracingTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly GridClientOptions _options = new()
    {
        Redis = new RedisOptions { Configuration = RedisServer.Endpoint },
        Queue = new QueueOptions { Namespace = "trace-" + Guid.NewGuid().ToString("N")[..10], Backoff = BackoffPolicy.Fixed(TimeSpan.FromMilliseconds(50)) },
        PollInterval = TimeSpan.FromMilliseconds(100),
    };

    private TracerProvider _provider = null!;
    private NpgsqlDataSource _db = null!;
    private GridClient _grid = null!;

    public async Task InitializeAsync()
    {
        _provider = Sdk.CreateTracerProviderBuilder().AddSource(GridTracing.AllSources).AddNpgsql().AddInMemoryExporter(_spans).Build()!;
        _db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(_db).MigrateAsync();
        _grid = await GridClient.ConnectAsync(_options);
        await _grid.Queue.ConfigureAsync();
    }

    public async Task DisposeAsync()
    {
        await _grid.DisposeAsync();
        await _db.DisposeAsync();
        _provider.Dispose();
    }

    [Fact]
    public async Task OneTrace_RunsFromTheClientsSubmit_ThroughTheWorker_ToPostgresAndRedis()
    {
        string id;
        await using (InProcessWorker.Start(_grid.Queue, _db, "trace-worker"))
        {
            id = await _grid.SubmitAsync(new NoopSpec());
            await _grid.WaitAsync(id, TimeSpan.FromSeconds(30));
        }

        var trace = TraceOf(Single("submit noop", "NflCompute.Client"));
        var clientSubmit = Single(trace, "submit noop");
        var queueSubmit = Single(trace, "submit");
        var attempt = Single(trace, "task noop");
        var run = Single(trace, "run noop");
        var persist = Single(trace, "persist");
        var batch = Single(trace, "persist batch");
        Assert.Equal(default, clientSubmit.ParentSpanId);
        Assert.Equal(clientSubmit.SpanId, queueSubmit.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, queueSubmit.Kind);
        Assert.Equal(id, queueSubmit.GetTagItem("nflc.task.id"));
        // Across the Redis hop: the worker's attempt continues the submission's span.
        Assert.Equal(queueSubmit.SpanId, attempt.ParentSpanId);
        Assert.Equal((id, 1, "trace-worker"), (attempt.GetTagItem("nflc.task.id"), attempt.GetTagItem("nflc.task.attempt"), attempt.GetTagItem("nflc.worker")));
        Assert.NotNull(attempt.GetTagItem("nflc.device"));
        Assert.Equal(attempt.SpanId, run.ParentSpanId);
        Assert.Equal(attempt.SpanId, persist.ParentSpanId);
        Assert.Equal(persist.SpanId, batch.ParentSpanId);
        // Under the batch: the commit (storage's span, Npgsql's statement under it) and the Redis completion.
        var commit = Single(trace, "commit results");
        Assert.Equal((batch.SpanId, "NflCompute.Storage"), (commit.ParentSpanId, commit.Source.Name));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.ParentSpanId == commit.SpanId);
        Assert.Contains(trace, s => s.DisplayName == "complete.lua" && s.ParentSpanId == batch.SpanId && s.Kind == ActivityKind.Client);
        // The task's history keeps its trace, for the dashboard's link.
        await using var command = _db.CreateCommand("SELECT trace_id FROM tasks WHERE task_id = @id");
        command.Parameters.AddWithValue("id", id);
        Assert.Equal(attempt.TraceId.ToHexString(), (string?)await command.ExecuteScalarAsync());
        // The claim is a span of its own, linked to the submission; the attempt links back to it.
        var claim = Assert.Single(_spans, s => s.DisplayName == "claim" && s.Links.Any(l => l.Context.SpanId == queueSubmit.SpanId));
        Assert.Contains(attempt.Links, l => l.Context.SpanId == claim.SpanId);
    }

    [Fact]
    public async Task ARetriedTask_HasBothAttemptsInItsTrace_TheSecondLinkedToTheFirst()
    {
        string id;
        var flaky = new FailsOnce();
        await using (InProcessWorker.Start(_grid.Queue, _db, "trace-retry-worker", new JobRegistry([flaky])))
        {
            id = await _grid.SubmitAsync(new NoopSpec());
            await _grid.WaitAsync(id, TimeSpan.FromSeconds(30));
        }

        var attempts = _spans.Where(s => s.DisplayName == "task noop" && (string?)s.GetTagItem("nflc.task.id") == id).OrderBy(s => (int)s.GetTagItem("nflc.task.attempt")!).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].TraceId, attempts[1].TraceId);
        Assert.Equal(attempts[0].ParentSpanId, attempts[1].ParentSpanId); // both under the submission
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Contains(attempts[1].Links, l => l.Context.SpanId == attempts[0].SpanId && l.Context.TraceId == attempts[0].TraceId);
        Assert.Single(_spans, s => s.DisplayName == "fail batch" && s.TraceId == attempts[0].TraceId);
    }

    [Fact]
    public async Task AJobsOwnSteps_AreUnderItsRun_AndStorageUnderThem()
    {
        double[] y = [1, 0, 1, 1, 0, 1, 0, 1];
        string id;
        await using (InProcessWorker.Start(_grid.Queue, _db, "trace-jobs-worker"))
        {
            id = await _grid.SubmitAsync(new CompareModelsSpec
            {
                Outcomes = await _grid.UploadAsync(y),
                Baseline = await _grid.UploadAsync([.. y.Select(v => v == 1 ? 0.6 : 0.4)]),
                Models = [new ModelPredictions("elo", await _grid.UploadAsync([.. y.Select(v => v == 1 ? 0.7 : 0.35)]))],
                PermutationResamples = 200,
                BootstrapResamples = 200,
            });
            await _grid.WaitAsync(id, TimeSpan.FromSeconds(60));
        }

        var trace = TraceOf(Single("submit compare-models", "NflCompute.Client"));
        var run = Single(trace, "run compare-models");
        var compare = Single(trace, "compare models");
        Assert.Equal((run.SpanId, "NflCompute.Jobs"), (compare.ParentSpanId, compare.Source.Name));
        Assert.Equal(8, compare.GetTagItem("nflc.games"));
        var loads = trace.Where(s => s.DisplayName == "load dataset").ToList();
        Assert.Equal(3, loads.Count); // outcomes, baseline, one model
        Assert.All(loads, l => Assert.Equal(run.SpanId, l.ParentSpanId));
        Assert.All(loads, l => Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.ParentSpanId == l.SpanId));
    }

    [Fact]
    public async Task AnUntracedSubmission_StoresNoTraceContext()
    {
        _provider.Dispose(); // nobody listens now
        var id = await _grid.SubmitAsync(new NoopSpec());

        Assert.Null((await _grid.StatusAsync(id)).TraceParent);
    }

    private Activity Single(string name, string source)
    {
        _provider.ForceFlush();
        return Assert.Single(_spans, s => s.DisplayName == name && s.Source.Name == source);
    }

    private static Activity Single(IEnumerable<Activity> trace, string name) => Assert.Single(trace, s => s.DisplayName == name);

    private List<Activity> TraceOf(Activity span) => [.. _spans.Where(s => s.TraceId == span.TraceId)];

    // noop that fails its first attempt (retryably) and succeeds after.
    private sealed class FailsOnce : IJobHandler
    {
        private int _runs;

        public string Kind => JobKinds.Noop;

        public Task<string> RunAsync(JobContext context) =>
            Interlocked.Increment(ref _runs) == 1 ? throw new InvalidOperationException("first attempt fails") : Task.FromResult("{}");
    }
}
