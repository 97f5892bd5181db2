using System.Collections;
using System.Globalization;
using NflCompute.Queue;

namespace NflCompute.Worker.Observability;

/// <summary>
/// The log scope of one attempt: its task id, the submitter's correlation id, its kind and attempt
/// number, read from the claim when a log line is written (one small object per attempt, where a
/// dictionary of boxed values cost four entries' worth whether or not anything was logged).
/// </summary>
internal sealed class TaskLogScope(ClaimedTask task) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("TaskId", task.Id),
        1 => new("CorrelationId", task.CorrelationId),
        2 => new("Kind", task.Kind),
        3 => new("Attempt", task.Attempt),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"TaskId:{task.Id} CorrelationId:{task.CorrelationId} Kind:{task.Kind} Attempt:{task.Attempt}");
}
