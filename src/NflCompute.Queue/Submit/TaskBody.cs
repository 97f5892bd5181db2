namespace NflCompute.Queue;

/// <summary>
/// A task's kind, correlation id and payload packed into one string, "kind\ncorrelation\npayload":
/// stored as one hash field and carried whole in the task's queue entry, so Redis stores one value
/// and a claim reads nothing per task. Kinds and correlation ids never contain a line break.
/// </summary>
internal static class TaskBody
{
    public static string Pack(string kind, string? correlationId, string? payload) =>
        string.Concat(kind, "\n", correlationId, "\n", payload);

    public static (string Kind, string? CorrelationId, string Payload) Unpack(ReadOnlySpan<char> body)
    {
        var kindEnd = body.IndexOf('\n');
        var rest = body[(kindEnd + 1)..];
        var correlationEnd = rest.IndexOf('\n');
        return (
            body[..kindEnd].ToString(),
            correlationEnd == 0 ? null : rest[..correlationEnd].ToString(),
            rest[(correlationEnd + 1)..].ToString());
    }
}
