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
    public static void AddGridTracing(this IServiceCollection services, string serviceName, string instanceId)
    {
        var named = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME"));
        services.AddOpenTelemetry()
            .ConfigureResource(r =>
            {
                if (!named)
                {
                    r.AddService(serviceName, serviceInstanceId: instanceId);
                }
            })
            .WithTracing(t => t.AddSource(GridTracing.AllSources).AddNpgsql().AddOtlpExporter());
    }

    /// <summary>
    /// Records a claim that got tasks as a finished span (idle claims make none), linked to each
    /// task's submission; returns its context for the attempts to link back to.
    /// </summary>
    public static ActivityContext Claimed(IReadOnlyList<ClaimedTask> claimed, string workerId, DateTimeOffset started, DateTimeOffset ended)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        if (!GridTracing.Worker.HasListeners())
        {
            return default;
        }

        var links = claimed.Select(t => GridTracing.ContextOf(t.TraceParent)).Where(c => c != default).Take(MostLinks).Select(c => new ActivityLink(c));
        using var span = GridTracing.Worker.StartActivity("claim", ActivityKind.Consumer, default(ActivityContext), [new("nflc.worker", workerId), new("nflc.tasks", claimed.Count)], links, started);
        span?.SetEndTime(ended.UtcDateTime);
        return span?.Context ?? default;
    }

    /// <summary>Starts an attempt's span under its submission's (a root when it was not traced), linked to the claim and to the previous attempt.</summary>
    public static Activity? StartAttempt(ClaimedTask task, string device, ActivityContext claim)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!GridTracing.Worker.HasListeners())
        {
            return null;
        }

        List<ActivityLink> links = [];
        if (claim != default)
        {
            links.Add(new ActivityLink(claim));
        }

        if (GridTracing.ContextOf(task.PreviousAttempt) is var previous && previous != default)
        {
            links.Add(new ActivityLink(previous, new ActivityTagsCollection { ["nflc.link"] = "previous attempt" }));
        }

        return GridTracing.Worker.StartActivity(
            "task " + task.Kind,
            ActivityKind.Consumer,
            GridTracing.ContextOf(task.TraceParent),
            [new("nflc.task.id", task.Id), new("nflc.task.kind", task.Kind), new("nflc.task.attempt", task.Attempt), new("nflc.task.class", task.Class), new("nflc.worker", task.WorkerId), new("nflc.device", device)],
            links);
    }

    /// <summary>
    /// Starts a persisted batch's span: a child of its first task's persistence span, linked to the
    /// others', so its Postgres and Redis calls sit in a task's trace and every task finds them.
    /// </summary>
    public static Activity? StartBatch(string name, IReadOnlyList<ActivityContext> persists)
    {
        ArgumentNullException.ThrowIfNull(persists);
        if (!GridTracing.Worker.HasListeners())
        {
            return null;
        }

        var parent = persists.Count > 0 ? persists[0] : default;
        var links = persists.Skip(1).Where(c => c != default).Take(MostLinks).Select(c => new ActivityLink(c));
        return GridTracing.Worker.StartActivity(name, ActivityKind.Internal, parent, [new("nflc.tasks", persists.Count)], links);
    }
}
