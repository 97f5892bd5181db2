namespace NflCompute.Queue;

/// <summary>Task ids: 10 lowercase hex digits, issued by Redis in submission order.</summary>
public static class TaskIds
{
    /// <summary>The id format, for error messages.</summary>
    public const string Format = "10 hex digits, e.g. 00000002af";

    /// <summary>The length of every task id.</summary>
    public const int Length = 10;

    /// <summary>True when <paramref name="id"/> has the form of a task id.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="parameter"/> when the id is malformed.</summary>
    public static void ThrowIfInvalid(string? id, string parameter)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException($"'{id}' is not a task id ({Format}).", parameter);
        }
    }
}
