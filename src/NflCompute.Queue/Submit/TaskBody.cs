namespace NflCompute.Queue;

/// <summary>
/// A task's kind, correlation id, trace context and payload packed into one string,
/// "kind\ncorrelation\tT\npayload" (the tab and the W3C traceparent T only when the submission was
/// traced): stored as one hash field and carried whole in the task's queue entry, so Redis stores
/// one value and a claim reads nothing per task. Kinds and correlation ids never contain a line
/// break or a tab.
/// </summary>
internal static class TaskBody
{
    public static string Pack(string kind, string? correlationId, string? traceParent, string? payload) =>
        traceParent is null
            ? string.Concat(kind, "\n", correlationId, "\n", payload)
            : string.Concat(kind, "\n", correlationId, "\t", traceParent, "\n", payload);

    public static (string Kind, string? CorrelationId, string? TraceParent, string Payload) Unpack(ReadOnlySpan<char> body)
    {
        var kindEnd = body.IndexOf('\n');
        var rest = body[(kindEnd + 1)..];
        var headerEnd = rest.IndexOf('\n');
        var header = rest[..headerEnd];
        var tab = header.IndexOf('\t');
        var correlation = tab < 0 ? header : header[..tab];
        return (
            body[..kindEnd].ToString(),
            correlation.IsEmpty ? null : correlation.ToString(),
            tab < 0 ? null : header[(tab + 1)..].ToString(),
            rest[(headerEnd + 1)..].ToString());
    }
}
