using Npgsql;
using NflCompute.Core.Errors;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace NflCompute.Worker;

/// <summary>
/// How the worker rides out an outage of Redis or Postgres: the steps that must happen once a task
/// has run (write its result, complete it, record it) are retried on transient errors with
/// exponential backoff and full jitter, capped at 5 s a wait, for up to WorkerOptions.OutagePatience;
/// heartbeats keep the task's lease meanwhile, so the work is not redone. Inside the retry, a circuit
/// breaker shared by all of the worker's tasks opens when most calls fail: while a server is down,
/// the tasks wait without each hammering it with connection attempts, and one probe call at a
/// time finds out when it is back.
/// </summary>
internal static class Resilience
{
    public static ResiliencePipeline Create(TimeSpan patience, TimeProvider time, Action<bool>? circuitChanged = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(Retry(patience, null))
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(2),
                OnOpened = _ => { circuitChanged?.Invoke(true); return default; },
                OnClosed = _ => { circuitChanged?.Invoke(false); return default; },
            })
            .Build();

    /// <summary>
    /// Start-up: connecting and migrating are retried the same way for up to <paramref name="patience"/>
    /// (no breaker: there is one caller, and its last error is the one to report).
    /// </summary>
    public static ResiliencePipeline Startup(TimeSpan patience, Action<Exception, TimeSpan> retrying) =>
        new ResiliencePipelineBuilder().AddRetry(Retry(patience, retrying)).Build();

    private static RetryStrategyOptions Retry(TimeSpan patience, Action<Exception, TimeSpan>? retrying) => new()
    {
        ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(5),
        MaxRetryAttempts = Math.Max(1, (int)(patience.TotalSeconds / 2.5)),
        OnRetry = a =>
        {
            if (a.Outcome.Exception is { } e)
            {
                retrying?.Invoke(e, a.RetryDelay);
            }

            return default;
        },
    };

    /// <summary>Errors worth waiting out: a server unreachable or restarting, a dropped connection, an open circuit.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        NflComputeException n => n.IsTransient,
        PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow } => true, // 57P03: starting up or shutting down
        NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException,
        System.Net.Sockets.SocketException or IOException or TimeoutException or BrokenCircuitException => true,
        _ => false,
    };
}
