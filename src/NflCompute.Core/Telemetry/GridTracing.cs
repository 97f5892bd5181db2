using System.Diagnostics;

namespace NflCompute.Core.Telemetry;

/// <summary>
/// The grid's trace sources, one per component, all named "NflCompute.*" (an OpenTelemetry
/// tracer provider subscribes with <c>AddSource("NflCompute.*")</c>). With nobody listening,
/// starting an activity returns null and costs nothing measurable.
/// </summary>
public static class GridTracing
{
    /// <summary>What subscribes to every source of the grid.</summary>
    public const string AllSources = "NflCompute.*";

    /// <summary>The thin client: submit and wait.</summary>
    public static readonly ActivitySource Client = new("NflCompute.Client", Version);

    /// <summary>The queue library: submissions (the span a task's trace continues from).</summary>
    public static readonly ActivitySource Queue = new("NflCompute.Queue", Version);

    /// <summary>The worker: claims, each task's attempt, its run and its persistence, and the batches.</summary>
    public static readonly ActivitySource Worker = new("NflCompute.Worker", Version);

    /// <summary>The job handlers' own steps.</summary>
    public static readonly ActivitySource Jobs = new("NflCompute.Jobs", Version);

    /// <summary>Storage: the result and history writes, beside Npgsql's own spans.</summary>
    public static readonly ActivitySource Storage = new("NflCompute.Storage", Version);

    private static string Version => typeof(GridTracing).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>
    /// A step inside a traced operation, from <paramref name="source"/>; null outside one, so
    /// background work (a recovery pass, an idle claim) does not start traces of its own.
    /// </summary>
    public static Activity? StartStep(this ActivitySource source, string name, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Activity.Current is null ? null : source.StartActivity(name, kind);
    }

    /// <summary>
    /// The W3C traceparent of the current activity ("00-{trace}-{span}-{flags}"), to store with a
    /// task so its worker continues the trace; null when there is none or it is not W3C.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>The trace id (32 hex digits) a stored traceparent names; null when absent or malformed.</summary>
    public static string? TraceIdOf(string? traceParent) => ContextOf(traceParent) is { TraceId: var id } c && c != default ? id.ToHexString() : null;

    /// <summary>The context a stored traceparent names; default when absent or malformed.</summary>
    public static ActivityContext ContextOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
