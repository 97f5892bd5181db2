using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NflCompute.Core.Telemetry;
using NflCompute.Queue;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NflCompute.Worker.Observability;

/// <summary>
/// The worker's traces. Each attempt is a span ("task {kind}") that continues the trace its
/// submission started, with its run and its persistence under it and the persisted batch's
/// Postgres and Redis calls under that; a claim is a span of its own, linked to the traces of the
/// tasks it claimed; a retry's attempt is linked to the attempt before it. Exported with OTLP when
/// the standard OTEL_* variables ask for it (<see cref="IsConfigured"/>); otherwise nothing
/// listens and no span is made.
/// </summary>
public static class WorkerTracing
{
    // OpenTelemetry's default limit on links per span.
    private const int MostLinks = 128;

    /// <summary>
    /// True when the environment asks for traces: an OTLP endpoint is set
    /// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and neither
    /// OTEL_SDK_DISABLED=true nor OTEL_TRACES_EXPORTER=none turns them off.
    /// </summary>
    public static bool IsConfigured(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        bool Set(string name) => !string.IsNullOrWhiteSpace(environment(name));
        return (Set("OTEL_EXPORTER_OTLP_ENDPOINT") || Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
            && !string.Equals(environment("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(environment("OTEL_TRACES_EXPORTER"), "none", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Adds the OpenTelemetry SDK with the grid's sources and Npgsql's, exporting with OTLP. The
    /// exporter, the sampler (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG), the service name
    /// (OTEL_SERVICE_NAME, else <paramref name="serviceName"/>) and the batching follow the
    /// OTEL_* variables.
    /// </summary>
    public static void AddGridTracing(this IServiceCollection services, string serviceName, string instanceId) =>
        services.AddOpenTelemetry().WithTracing(t => t.ForTheGrid(serviceName, instanceId));

    /// <summary>
    /// A tracer provider for a short-lived process (an nflc command), exporting as
    /// <see cref="AddGridTracing"/> does; null when the environment does not ask for traces.
    /// Dispose it before exit: that flushes the spans.
    /// </summary>
    public static TracerProvider? StartForProcess(string serviceName) =>
        IsConfigured(Environment.GetEnvironmentVariable) ? OpenTelemetry.Sdk.CreateTracerProviderBuilder().ForTheGrid(serviceName, instanceId: null).Build() : null;

    // The grid's sources and Npgsql's, exported with OTLP; the service named unless OTEL_SERVICE_NAME names it.
    private static TracerProviderBuilder ForTheGrid(this TracerProviderBuilder tracing, string serviceName, string? instanceId)
    {
        tracing.AddSource(GridTracing.AllSources).AddNpgsql().AddOtlpExporter();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
        {
            tracing.ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceId));
        }

        return tracing;
    }

    /// <summary>
    /// Records a claim as a finished span, linked to the submissions of the claimed tasks whose
    /// traces are sampled; a claim with none of those (or an idle one) makes no span. Returns its
    /// context for the attempts to link back to.
    /// </summary>
    public static ActivityContext Claimed(IReadOnlyList<ClaimedTask> claimed, string workerId, DateTimeOffset started, DateTimeOffset ended)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        if (!GridTracing.Worker.HasListeners())
        {
            return default;
        }

        var links = Sampled(claimed.Select(t => GridTracing.ContextOf(t.TraceParent))).Select(c => new ActivityLink(c)).ToList();
        if (links.Count == 0)
        {
            return default;
        }

        using var span = GridTracing.Worker.StartActivity("claim", ActivityKind.Consumer, default(ActivityContext), links: links, startTime: started);
        span?.SetTag("nflc.worker", workerId).SetTag("nflc.tasks", claimed.Count).SetEndTime(ended.UtcDateTime);
        return span?.Context ?? default;
    }

    /// <summary>
    /// Starts an attempt's span under its submission's (a root when it was not traced), linked to
    /// the claim and to the previous attempt; null where the sampler records nothing (an unsampled
    /// trace then costs one activity, dropped at once: no steps under it, no database spans).
    /// </summary>
    public static Activity? StartAttempt(ClaimedTask task, string device, ActivityContext claim)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!GridTracing.Worker.HasListeners())
        {
            return null;
        }

        var span = GridTracing.Worker.StartActivity("task " + task.Kind, ActivityKind.Consumer, GridTracing.ContextOf(task.TraceParent));
        if (span is not { IsAllDataRequested: true })
        {
            span?.Dispose();
            return null;
        }

        span.SetTag("nflc.task.id", task.Id).SetTag("nflc.task.kind", task.Kind).SetTag("nflc.task.attempt", task.Attempt)
            .SetTag("nflc.task.class", task.Class).SetTag("nflc.worker", task.WorkerId).SetTag("nflc.device", device);
        if (claim != default)
        {
            span.AddLink(new ActivityLink(claim));
        }

        if (GridTracing.ContextOf(task.PreviousAttempt) is var previous && previous != default)
        {
            span.AddLink(new ActivityLink(previous, new ActivityTagsCollection { ["nflc.link"] = "previous attempt" }));
        }

        return span;
    }

    /// <summary>
    /// Starts a persisted batch's span: a child of the first sampled persistence span among its
    /// tasks', linked to the other sampled ones, so its Postgres and Redis calls sit in a task's
    /// trace and every sampled task finds them. None sampled, no span.
    /// </summary>
    public static Activity? StartBatch(string name, IReadOnlyList<ActivityContext> persists)
    {
        ArgumentNullException.ThrowIfNull(persists);
        if (!GridTracing.Worker.HasListeners())
        {
            return null;
        }

        var sampled = Sampled(persists).ToList();
        if (sampled.Count == 0)
        {
            return null;
        }

        var span = GridTracing.Worker.StartActivity(name, ActivityKind.Internal, sampled[0], links: sampled.Skip(1).Select(c => new ActivityLink(c)));
        span?.SetTag("nflc.tasks", persists.Count);
        return span;
    }

    private static IEnumerable<ActivityContext> Sampled(IEnumerable<ActivityContext> contexts) =>
        contexts.Where(c => c.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)).Distinct().Take(MostLinks);
}
