using Npgsql;
using NflCompute.Core.Errors;
using Polly;
using Polly.Retry;

namespace NflCompute.Worker;

/// <summary>
/// How the worker rides out an outage of Redis or Postgres: the steps that must happen once a task
/// has run (write its result, complete it, record it) are retried on transient errors with
/// exponential backoff and full jitter, capped at 5 s a wait, for up to WorkerOptions.OutagePatience;
/// heartbeats keep the task's lease meanwhile, so the work is not redone.
/// </summary>
internal static class Resilience
{
    public static ResiliencePipeline Create(TimeSpan patience, TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                MaxRetryAttempts = Math.Max(1, (int)(patience.TotalSeconds / 2.5)),
            })
            .Build();

    /// <summary>Errors worth waiting out: a server unreachable or restarting, a dropped connection.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        NflComputeException n => n.IsTransient,
        NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException,
        System.Net.Sockets.SocketException or IOException or TimeoutException => true,
        _ => false,
    };
}
