using Microsoft.AspNetCore.Builder;
using NflCompute.Queue;
using NflCompute.Queue.Tests;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Models;
using NflCompute.Storage.Tasks;
using NflCompute.Storage.Tests;
using Npgsql;

namespace NflCompute.Dashboard.Tests;

/// <summary>
/// A grid in a known state (completed, pending and dead-lettered tasks, gpu-high paused, a registered GPU worker,
/// task history, model metrics and a regression) and the dashboard over it, reading Postgres as
/// nflc_reader.
/// </summary>
public sealed class LiveGrid : IAsyncLifetime
{
    public const string AdminToken = "test-admin-token-0123456789";
    private readonly PostgresServer _postgres = new();
    private readonly RedisServer _redis = new();

    public TaskQueue Queue { get; private set; } = null!;

    public NpgsqlDataSource Owner { get; private set; } = null!;

    public WebApplication App { get; private set; } = null!;

    public NpgsqlDataSource Reader { get; private set; } = null!;

    public string Url => App.Urls.First();

    public string DeadLetterId { get; private set; } = "";

    /// <summary>A completed task whose submission was traced, and its trace id.</summary>
    public string TracedId { get; private set; } = "";

    /// <summary>Who submitted the traced task (the others name no submitter).</summary>
    public const string Submitter = "ana@lab-3";

    public const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    public const string TraceLinkTemplate = "https://traces.example/trace/{traceId}?from=nflc";

    /// <summary>A task claimed and left running, for the in-flight view.</summary>
    public string RunningId { get; private set; } = "";

    /// <summary>An elo-ratings run with KC and BUF in 2023 and 2024.</summary>
    public const string EloRunId = "01m8eeeeeeeeeeeeeeee";

    /// <summary>A compare-models task whose result Postgres holds (for the results page).</summary>
    public const string ComparisonId = "01m8cccccccccccccccc";

    /// <summary>Its result.</summary>
    public const string ComparisonResult = """
        {"device": "cpu", "models": [
          {"model": "elo", "improvement": 0.0126, "adjustedP": 0.153, "bootstrap": {"level": 0.95, "bcaLow": -0.0036, "bcaHigh": 0.0294}},
          {"model": "market", "improvement": 0.0271, "adjustedP": 0.009, "bootstrap": {"level": 0.95, "bcaLow": 0.0082, "bcaHigh": 0.044}}]}
        """;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await _redis.InitializeAsync();
        Owner = await _postgres.NewDatabaseAsync();
        await new MigrationRunner(Owner).MigrateAsync();
        Queue = new TaskQueue(_redis.Gateway, new QueueOptions { Namespace = "dash-" + Guid.NewGuid().ToString("N")[..8] });
        await Queue.ConfigureAsync();

        // Three completed, one dead letter, two pending (cpu, gpu), a live GPU worker.
        for (var i = 0; i < 6; i++)
        {
            await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", Class = i == 5 ? "gpu" : "cpu", CorrelationId = "dash-" + i, Submitter = i == 0 ? Submitter : null });
        }

        var claimed = await Queue.ClaimAsync("gpu-box-1", ["cpu"], 4, TimeSpan.FromMinutes(5));
        var history = new TaskHistory(Owner, Queue.Options.Namespace);
        foreach (var t in claimed.Take(3))
        {
            var now = DateTimeOffset.UtcNow;
            var attempt = new AttemptKey(t.Id, t.Attempt, t.FencingToken);
            await history.AttemptStartedAsync(new TaskAttemptStart(attempt, t.Kind, "cpu", 0, t.CorrelationId, now, now, "gpu-box-1", "cuda:0", t == claimed[0] ? TraceId : null));
            await Queue.CompleteAsync(t, "{}");
            await history.AttemptFinishedAsync(attempt, "completed", null, 0, 0.25, now.AddSeconds(0.25));
        }

        TracedId = claimed[0].Id;
        await Queue.PauseAsync(["gpu-high"]);
        await Queue.PutScheduleAsync(new ScheduleDefinition { Name = "nightly-elo", Cron = "0 3 * * *", TimeZone = "America/New_York", Kind = "elo-ratings" });
        await Queue.SetLimitsAsync("gpu", new ClassLimits(MaxRunning: 2, Rate: new RateLimit(600, TimeSpan.FromMinutes(1))));
        RunningId = (await Queue.ClaimAsync("gpu-box-1", ["cpu"], 1, TimeSpan.FromMinutes(5)))[0].Id; // left running
        DeadLetterId = claimed[3].Id;
        var finished = DateTimeOffset.UtcNow;
        await new NflCompute.Storage.Results.ResultStore(Owner, Queue.Options.Namespace).CommitCompletedAsync(
            [new NflCompute.Storage.Results.CompletedAttempt(new TaskAttemptStart(new AttemptKey(ComparisonId, 1, 1L << 32), "compare-models", "cpu", 0, null, finished, finished, "gpu-box-1", "cpu"), finished, ComparisonResult, 0.5, 0)]);
        await Queue.FailAsync(new TaskFailure(claimed[3], "payload names dataset sha256:00 which does not exist", Retryable: false));
        await Queue.RegisterWorkerAsync(new WorkerRegistration("gpu-box-1", TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["classes"] = "gpu-high,gpu,cpu", ["device"] = "NVIDIA H100 (cuda:0)", ["concurrency"] = "4", ["backend"] = "Cuda", ["ttlMs"] = "300000",
        }));
        // A result of each kind the reports draw, as a worker would have committed it.
        foreach (var fixture in ResultFixtures.All)
        {
            await new NflCompute.Storage.Results.ResultStore(Owner, Queue.Options.Namespace).CommitCompletedAsync(
                [new NflCompute.Storage.Results.CompletedAttempt(new TaskAttemptStart(new AttemptKey(fixture.TaskId, 1, 1L << 32), fixture.Kind, "cpu", 0, null, finished, finished, "gpu-box-1", "cpu"), finished, fixture.Json, 0.5, 0)]);
        }

        var models = new ModelStore(Owner);
        await models.WriteMetricsAsync("0000000001", [new ModelMetricRow("elo", "v1", "brier", 0.2201, 4145, null, null), new ModelMetricRow("elo", "v2", "brier", 0.2243, 4145, null, null)]);
        await models.WriteRegressionsAsync("0000000002", [new RegressionRow("elo", "v2", "v1", "brier", 0.0042, 0.0001, 0.0002, 0.001, """
            {"against": "previous", "version": "v1", "newMeanLoss": 0.2243, "oldMeanLoss": 0.2201, "difference": 0.0042, "pGreater": 0.0001, "adjustedP": 0.0002, "bcaLow": 0.002, "bcaHigh": 0.0063, "games": 4145, "regression": true}
            """)]);
        var registered = DateTimeOffset.UtcNow.AddMinutes(-5);
        await models.RegisterVersionAsync(new ModelVersion("elo", "v1", "sha256:y", "sha256:p1", "brier", 0.2201, registered), "0000000001");
        await models.RegisterVersionAsync(new ModelVersion("elo", "v2", "sha256:y", "sha256:p2", "brier", 0.2243, registered.AddSeconds(1)), "0000000002");

        // An elo-ratings run: KC and BUF through two seasons (the last game of each season counts).
        await new NflCompute.Storage.Games.EloRatingStore(Owner).WriteAsync(EloRunId,
        [
            new("2023_01_KC_BUF", 2023, "BUF", "KC", 1550, 1600, 0.5, 0, 1560, 1590),
            new("2023_18_KC_DEN", 2023, "DEN", "KC", 1500, 1590, 0.4, 0, 1495, 1612.5),
            new("2024_01_BUF_MIA", 2024, "MIA", "BUF", 1480, 1560, 0.4, 0, 1470, 1571.25),
            new("2024_02_KC_BUF", 2024, "BUF", "KC", 1571.25, 1612.5, 0.5, 0, 1580, 1603.75),
        ]);

        // The read-only role, by SET ROLE at connect: no password that other suites could change.
        var reader = new NpgsqlConnectionStringBuilder(Owner.ConnectionString)
        {
            Password = (await File.ReadAllTextAsync(_postgres.Superuser.PasswordFile!)).Trim(),
            Options = "-c role=nflc_reader",
        };
        Reader = NpgsqlDataSource.Create(reader.ConnectionString);
        App = DashboardHost.Build(new DashboardOptions { Url = "http://127.0.0.1:0", AdminToken = AdminToken, SampleInterval = TimeSpan.FromMilliseconds(200), TraceLinkTemplate = TraceLinkTemplate }, Queue, Reader);
        await App.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Reader.DisposeAsync();
        await Owner.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
