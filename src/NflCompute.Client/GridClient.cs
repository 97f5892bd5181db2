using NflCompute.Core;
using NflCompute.Core.Datasets;
using NflCompute.Core.Errors;
using NflCompute.Core.Jobs;
using NflCompute.Core.Telemetry;
using NflCompute.Queue;
using NflCompute.Queue.Redis;

namespace NflCompute.Client;

/// <summary>
/// The modeler's handle on a grid: submit typed jobs (one or a batch, with priority, class,
/// idempotency key and dependencies), upload datasets, await results, check and cancel tasks, and
/// list the dead-letter queue. Talks only to Redis; thread-safe; one per process.
/// </summary>
/// <example>
/// <code>
/// await using var grid = await GridClient.ConnectAsync(new GridClientOptions());
/// var id = await grid.SubmitAsync(new SeasonSimSpec(Season: 2025));
/// var result = await grid.WaitAsync(id, TimeSpan.FromMinutes(2));
/// </code>
/// </example>
public sealed class GridClient : IAsyncDisposable
{
    private readonly RedisGateway _redis;
    private readonly GridClientOptions _options;

    private readonly Lazy<Npgsql.NpgsqlDataSource>? _results;

    private GridClient(RedisGateway redis, GridClientOptions options)
    {
        _redis = redis;
        _options = options;
        Queue = new TaskQueue(redis, options.Queue);
        _results = options.ResultsDatabase is { } db ? new(() => NflCompute.Storage.PostgresDataSource.Create(db)) : null;
    }

    /// <summary>The queue underneath, for operations this class does not wrap.</summary>
    public TaskQueue Queue { get; }

    /// <summary>Pauses hardware classes: workers stop claiming their tasks (running ones finish) until <see cref="ResumeAsync"/>.</summary>
    /// <exception cref="ArgumentException">A class is not one of the grid's.</exception>
    public Task PauseAsync(params string[] classes) => Queue.PauseAsync(classes);

    /// <summary>Resumes paused classes; their tasks start at once.</summary>
    /// <exception cref="ArgumentException">A class is not one of the grid's.</exception>
    public Task ResumeAsync(params string[] classes) => Queue.ResumeAsync(classes);

    /// <summary>Connects to the grid's Redis.</summary>
    /// <exception cref="OptionsValidationException">A setting cannot work.</exception>
    /// <exception cref="GridUnavailableException">Redis cannot be reached.</exception>
    public static async Task<GridClient> ConnectAsync(GridClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new GridClient(await RedisGateway.ConnectAsync(options.Redis).ConfigureAwait(false), options);
    }

    /// <summary>Queues one job; returns its task id (the first task's, for a repeated idempotency key).</summary>
    /// <exception cref="TaskRejectedException">The task is invalid (payload too big, unknown class, ...); the message names the field.</exception>
    public async Task<string> SubmitAsync(IJobSpec spec, SubmitOptions? options = null) =>
        (await SubmitBatchAsync([(spec, options)]).ConfigureAwait(false))[0];

    /// <summary>Queues jobs all or nothing; <c>#i</c> in <see cref="SubmitOptions.DependsOn"/> names the i-th of the batch.</summary>
    /// <exception cref="TaskRejectedException">A task is invalid or asks for more than <see cref="GridClientOptions.Limits"/> allow; nothing was queued.</exception>
    public async Task<IReadOnlyList<string>> SubmitBatchAsync(IReadOnlyList<(IJobSpec Spec, SubmitOptions? Options)> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Starts the trace (or continues the caller's): the queue's submit span and every task's
        // attempts are under it.
        using var activity = GridTracing.Client.StartActivity(batch.Count == 1 ? "submit " + batch[0].Spec?.Kind : "submit batch");
        activity?.SetTag("nflc.tasks", batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            // The workers check again with their own limits; asking first saves a trip to the DLQ.
            if (batch[i].Spec?.Problems(_options.Limits).FirstOrDefault() is { } problem)
            {
                throw new TaskRejectedException(i, "payload", $"{problem} (GridClientOptions.Limits)");
            }
        }

        var submissions = batch.Select(b =>
        {
            ArgumentNullException.ThrowIfNull(b.Spec);
            var o = b.Options ?? new SubmitOptions();
            return new TaskSubmission
            {
                Kind = b.Spec.Kind,
                Payload = JobJson.Serialize<object>(b.Spec),
                Class = o.Class,
                Priority = o.Priority,
                IdempotencyKey = o.IdempotencyKey,
                OnDuplicate = o.OnDuplicate,
                CorrelationId = o.CorrelationId,
                DependsOn = o.DependsOn,
                OnParentFailure = o.OnParentFailure,
                Submitter = _options.Submitter,
            };
        }).ToList();
        return [.. (await Queue.SubmitBatchAsync(submissions).ConfigureAwait(false)).Select(r => r.Id)];
    }

    /// <summary>Uploads a number array (predictions, outcomes) once; returns its content-addressed id for a job spec.</summary>
    public async Task<string> UploadAsync(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var encoded = DatasetEncoding.Encode(values);
        var id = DatasetEncoding.IdOf(encoded);
        await Queue.StageDatasetAsync(id, encoded, _options.DatasetTtl).ConfigureAwait(false);
        return id;
    }

    /// <summary>Uploads a text (a games CSV for load-games) once; returns its id.</summary>
    public async Task<string> UploadTextAsync(string text)
    {
        var encoded = DatasetEncoding.Encode(text);
        var id = DatasetEncoding.IdOf(encoded);
        await Queue.StageDatasetAsync(id, encoded, _options.DatasetTtl).ConfigureAwait(false);
        return id;
    }

    /// <summary>Waits for a task to finish (pub/sub, with polling as the fallback) and returns its result.</summary>
    /// <exception cref="TaskFailedException">It failed (with the worker's reason) or was cancelled.</exception>
    /// <exception cref="GridTimeoutException">It did not finish within <paramref name="timeout"/>.</exception>
    /// <exception cref="TaskNotFoundException">No such task.</exception>
    public Task<JobResult> WaitAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitAsync(taskId, timeout, progress: null, cancellationToken);

    /// <summary>
    /// <see cref="WaitAsync(string, TimeSpan, CancellationToken)"/>, telling <paramref name="progress"/>
    /// each new progress the task's handler reports (at most once per poll; the worker sends it with
    /// its heartbeats).
    /// </summary>
    /// <exception cref="TaskFailedException">The task failed for good or was cancelled.</exception>
    /// <exception cref="GridTimeoutException">It did not finish within <paramref name="timeout"/>.</exception>
    public async Task<JobResult> WaitAsync(string taskId, TimeSpan timeout, IProgress<JobProgress>? progress, CancellationToken cancellationToken = default)
    {
        TaskInfo info;
        try
        {
            info = await Queue.WaitAsync(taskId, timeout, _options.PollInterval, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var now = await Queue.GetAsync(taskId).ConfigureAwait(false);
            throw new GridTimeoutException(taskId, timeout, now?.State.ToString() ?? "gone");
        }

        return info.State == TaskState.Completed
            ? new JobResult(taskId, info.Result, info)
            : throw new TaskFailedException(taskId, info.State.ToString().ToLowerInvariant(), info.Error);
    }

    /// <summary>Waits for a task and reads its result as <typeparamref name="T"/>, whatever its size (see <see cref="ResultJsonAsync"/>).</summary>
    public async Task<T> WaitAsync<T>(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        JobJson.Deserialize<T>(await ResultJsonAsync(await WaitAsync(taskId, timeout, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// A completed task's result JSON whatever its size: as it came back through Redis, or, when it
    /// was too big for that, from Postgres through <see cref="GridClientOptions.ResultsDatabase"/>
    /// (the read-only role).
    /// </summary>
    /// <exception cref="InvalidOperationException">The result is too big for Redis and no ResultsDatabase is set.</exception>
    /// <exception cref="TaskNotFoundException">Postgres has no result for the task.</exception>
    public async Task<string> ResultJsonAsync(JobResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Json is { Length: > 0 } inline)
        {
            return inline;
        }

        if (_results is null)
        {
            throw new InvalidOperationException($"Task {result.TaskId}'s result is too big for Redis; set GridClientOptions.ResultsDatabase (the grid's Postgres as nflc_reader) to read it, or `nflc results {result.TaskId}`.");
        }

        var stored = await new NflCompute.Storage.Results.ResultStore(_results.Value, _options.Queue.Namespace).ReadAsync(result.TaskId, cancellationToken).ConfigureAwait(false);
        return stored?.ResultJson ?? throw new TaskNotFoundException(result.TaskId);
    }

    /// <summary>A task as Redis sees it now.</summary>
    /// <exception cref="TaskNotFoundException">No such task.</exception>
    public async Task<TaskInfo> StatusAsync(string taskId) =>
        await Queue.GetAsync(taskId).ConfigureAwait(false) ?? throw new TaskNotFoundException(taskId);

    /// <summary>Cancels a task wherever it is (a running one stops at its worker's next heartbeat); returns the state it was in.</summary>
    /// <exception cref="InvalidTaskStateException">It already completed, failed or was cancelled.</exception>
    public Task<TaskState> CancelAsync(string taskId) => Queue.CancelAsync(taskId);

    /// <summary>A page of the dead-letter queue, newest first, each with its reason.</summary>
    public Task<DeadLetterPage> DeadLettersAsync(int offset = 0, int count = 50) => Queue.ListDeadLettersAsync(offset, count);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_results is { IsValueCreated: true })
        {
            await _results.Value.DisposeAsync().ConfigureAwait(false);
        }

        await _redis.DisposeAsync().ConfigureAwait(false);
    }
}
