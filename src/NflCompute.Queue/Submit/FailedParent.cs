using NflCompute.Core;

namespace NflCompute.Queue;

/// <summary>A parent that failed or was cancelled before its child ran (a child whose policy is <see cref="ParentFailurePolicy.Ignore"/>).</summary>
/// <param name="Id">The parent's task id.</param>
/// <param name="State">How it ended: <see cref="TaskState.Failed"/> or <see cref="TaskState.Cancelled"/>.</param>
/// <param name="Reason">Its last error when it ended (the first 200 characters), or empty.</param>
public sealed record FailedParent(string Id, TaskState State, string Reason)
{
    /// <summary>Reads the task hash's pf field: one "&lt;id&gt; &lt;F|X&gt; &lt;error&gt;" per line.</summary>
    internal static IReadOnlyList<FailedParent> Decode(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return [];
        }

        return [.. field.Split('\n').Select(line =>
        {
            var parts = line.Split(' ', 3);
            return new FailedParent(parts[0], TaskStates.FromCode(parts[1][0]), parts.Length > 2 ? parts[2] : "");
        })];
    }
}
