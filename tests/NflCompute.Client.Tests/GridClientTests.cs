using System.Text.Json;
using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Core.Jobs;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Tests;
using NflCompute.Worker.Tests;
using Readme;
using Npgsql;

namespace NflCompute.Client.Tests;

/// <summary>The client against a real grid: Redis, Postgres and a worker in process.</summary>
[Collection(RedisCollection.Name)]
public sealed class GridClientTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly GridClientOptions _options = new()
    {
        Redis = new RedisOptions { Configuration = RedisServer.Endpoint },
        Queue = new QueueOptions { Namespace = "client-" + Guid.NewGuid().ToString("N")[..10] },
        PollInterval = TimeSpan.FromMilliseconds(200),
    };

    private NpgsqlDataSource _db = null!;
    private GridClient _grid = null!;
    private InProcessWorker _worker = null!;

    public async Task InitializeAsync()
    {
        _db = await postgres.NewDatabaseAsync();
        await new MigrationRunner(_db).MigrateAsync();
        _grid = await GridClient.ConnectAsync(_options);
        await _grid.Queue.ConfigureAsync();
        _worker = InProcessWorker.Start(_grid.Queue, _db, "client-test-worker");
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _grid.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task TheReadmeExample_UploadsSubmitsAndAwaitsAComparison_AndTheDatasetsReachPostgresOnce()
    {
        double[] y = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0];
        var market = y.Select(v => v == 1 ? 0.6 : 0.4).ToArray();
        var elo = y.Select(v => v == 1 ? 0.7 : 0.35).ToArray();

        var json = await ReadmeExample.CompareAsync(_options, y, market, elo);
        var again = await ReadmeExample.CompareAsync(_options, y, market, elo);

        using var result = JsonDocument.Parse(json);
        var model = result.RootElement.GetProperty("models")[0];
        Assert.Equal("elo", model.GetProperty("model").GetString());
        Assert.True(model.GetProperty("improvement").GetDouble() > 0);
        Assert.Equal(json, again);
        await using var count = _db.CreateCommand("SELECT count(*) FROM datasets");
        Assert.Equal(3L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task AFailedTask_RaisesTaskFailed_WithTheWorkersReason_AndShowsInTheDlq()
    {
        var id = await _grid.SubmitAsync(new CompareModelsSpec { Outcomes = DatasetStore.IdOf([1.0]), Baseline = DatasetStore.IdOf([0.5]), Models = [new ModelPredictions("m", DatasetStore.IdOf([0.7]))] });

        var failed = await Assert.ThrowsAsync<TaskFailedException>(() => _grid.WaitAsync(id, TimeSpan.FromMinutes(1)));

        Assert.Equal("failed", failed.State);
        Assert.Contains("does not exist", failed.Reason, StringComparison.Ordinal);
        var dlq = await _grid.DeadLettersAsync();
        Assert.Contains(dlq.Items, d => d.Id == id && d.Error!.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABatch_WithDependenciesAndAnIdempotencyKey_RunsInOrder_AndARepeatedKeyReturnsTheFirstTask()
    {
        var ids = await _grid.SubmitBatchAsync([
            (new NoopSpec(), new SubmitOptions { IdempotencyKey = "batch-key", CorrelationId = "corr-1" }),
            (new NoopSpec(), new SubmitOptions { DependsOn = ["#0"], Priority = 5 })]);
        var repeated = await _grid.SubmitAsync(new NoopSpec(), new SubmitOptions { IdempotencyKey = "batch-key" });

        var second = await _grid.WaitAsync(ids[1], TimeSpan.FromMinutes(1));
        var first = await _grid.StatusAsync(ids[0]);

        Assert.Equal(ids[0], repeated);
        Assert.Equal(TaskState.Completed, first.State);
        Assert.True(first.FinishedAt <= second.Info.FinishedAt);
        Assert.Equal("corr-1", first.CorrelationId);
    }

    [Fact]
    public async Task WaitingPastTheTimeout_RaisesGridTimeout_AndCancelEndsTheTask()
    {
        var id = await _grid.SubmitAsync(new NoopSpec(), new SubmitOptions { Class = "gpu" }); // no GPU worker here

        var timeout = await Assert.ThrowsAsync<GridTimeoutException>(() => _grid.WaitAsync(id, TimeSpan.FromMilliseconds(300)));
        var was = await _grid.CancelAsync(id);
        var cancelled = await Assert.ThrowsAsync<TaskFailedException>(() => _grid.WaitAsync(id, TimeSpan.FromSeconds(10)));

        Assert.Contains("pending", timeout.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(TaskState.Pending, was);
        Assert.Equal("cancelled", cancelled.State);
        await Assert.ThrowsAsync<TaskNotFoundException>(() => _grid.StatusAsync("00000000000000000000"));
    }

    [Fact]
    public async Task AJobOverItsLimits_IsRefusedBeforeSubmitting_NamingTheFieldAndTheSetting()
    {
        var huge = new CompareModelsSpec { Outcomes = "sha256:00", Baseline = "sha256:00", Models = [new ModelPredictions("m", "sha256:00")], PermutationResamples = 1_000_000_000_000 };
        var sweep = new EloSweepSpec(K: [.. Enumerable.Range(0, 200).Select(i => 10.0 + (i * 0.1))], HomeEdge: [.. Enumerable.Range(0, 200).Select(i => (double)i)], Reversion: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.01, 0.02, 0.03, 0.04, 0.06, 0.07, 0.08]);
        var before = (await _grid.Queue.GetCountsAsync()).Pending;

        var resamples = await Assert.ThrowsAsync<TaskRejectedException>(() => _grid.SubmitAsync(huge));
        var sets = await Assert.ThrowsAsync<TaskRejectedException>(() => _grid.SubmitBatchAsync([(new NoopSpec(), null), (sweep, null)]));
        var seasons = await Assert.ThrowsAsync<TaskRejectedException>(() => _grid.SubmitAsync(new SeasonSimSpec(2025, Simulations: 0)));

        Assert.Equal("tasks[0].payload: payload.permutationResamples is 1,000,000,000,000; it must be in 1..10,000,000 (Jobs:MaxResamples). (GridClientOptions.Limits)", resamples.Message);
        Assert.Equal("tasks[1].payload: payload asks for 1,080,000 parameter sets; one sweep takes at most 1,048,576 (Jobs:MaxSweepSets). Split it into several tasks. (GridClientOptions.Limits)", sets.Message);
        Assert.Contains("payload.simulations is 0; it must be in 1..10,000,000 (Jobs:MaxSimulations)", seasons.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await _grid.Queue.GetCountsAsync()).Pending); // nothing was queued
    }

    [Fact]
    public async Task BadOptions_AreRefusedNamingTheSetting()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => GridClient.ConnectAsync(new GridClientOptions { DatasetTtl = TimeSpan.FromSeconds(1) }));

        Assert.Contains("GridClientOptions.DatasetTtl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResultTooBigForRedis_IsReadFromPostgres_AsTheReadOnlyRole()
    {
        // Completed in Redis without its result, as a worker does past its InlineResultBytes; the
        // result in Postgres. (Class gpu: the in-process worker claims only cpu.)
        var id = await _grid.SubmitAsync(new NoopSpec(), new SubmitOptions { Class = "gpu" });
        var task = Assert.Single(await _grid.Queue.ClaimAsync("big-result-worker", ["gpu"], 1, TimeSpan.FromMinutes(1)));
        var big = JsonSerializer.Serialize(new { values = Enumerable.Range(0, 5000).ToArray() });
        var now = DateTimeOffset.UtcNow;
        await new NflCompute.Storage.Results.ResultStore(_db, _options.Queue.Namespace).CommitCompletedAsync(
            [new NflCompute.Storage.Results.CompletedAttempt(new NflCompute.Storage.Tasks.TaskAttemptStart(new NflCompute.Storage.Tasks.AttemptKey(task.Id, task.Attempt, task.FencingToken), "noop", "gpu", 0, null, now, now, "big-result-worker", "cpu"), now, big, 0, 0)]);
        await _grid.Queue.CompleteAsync(task, "");

        var result = await _grid.WaitAsync(id, TimeSpan.FromSeconds(10));
        Assert.Contains("GridClientOptions.ResultsDatabase", (await Assert.ThrowsAsync<InvalidOperationException>(() => _grid.ResultJsonAsync(result))).Message, StringComparison.Ordinal);

        var reader = postgres.Roles.For(NflCompute.Storage.StorageRoles.Reader, postgres.Superuser, maxPoolSize: 2, PostgresServer.DatabaseOf(_db));
        await using var reading = await GridClient.ConnectAsync(new GridClientOptions { Redis = _options.Redis, Queue = _options.Queue, ResultsDatabase = reader });
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(big), System.Text.Json.Nodes.JsonNode.Parse(await reading.ResultJsonAsync(result))));
        Assert.Equal(5000, (await reading.WaitAsync<JsonElement>(id, TimeSpan.FromSeconds(10))).GetProperty("values").GetArrayLength());
    }
}
