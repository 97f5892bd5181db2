namespace NflCompute.Queue;

/// <summary>Task ids: 8 base-36 characters (0-9, a-z), issued by Redis in submission order.</summary>
public static class TaskIds
{
    /// <summary>The id format, for error messages.</summary>
    public const string Format = "8 characters of 0-9 and a-z, e.g. 0000002s";

    /// <summary>True when <paramref name="id"/> has the form of a task id.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: 8 } && id.AsSpan().IndexOfAnyExcept("0123456789abcdefghijklmnopqrstuvwxyz") < 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="parameter"/> when the id is malformed.</summary>
    public static void ThrowIfInvalid(string? id, string parameter)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException($"'{id}' is not a task id ({Format}).", parameter);
        }
    }
}
