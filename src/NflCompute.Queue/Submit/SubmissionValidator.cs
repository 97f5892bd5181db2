using NflCompute.Core.Errors;

namespace NflCompute.Queue;

/// <summary>
/// Checks a batch before it leaves the process, so errors name the task and field. lua/submit.lua
/// checks again (class membership, payload size, parents) because it alone sees the grid's state.
/// </summary>
internal static class SubmissionValidator
{
    public static void Validate(IReadOnlyList<TaskSubmission> batch, QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("The batch is empty.", nameof(batch));
        }

        // One batch is one Lua call: Redis does nothing else while it runs, so it stays bounded.
        if (batch.Count > options.MaxBatchTasks)
        {
            throw new TaskRejectedException(options.MaxBatchTasks, "(batch)", $"the batch has {batch.Count:N0} tasks; one submit takes at most {options.MaxBatchTasks:N0} (QueueOptions.MaxBatchTasks). Submit it in parts.");
        }

        var bytes = batch.Sum(t => (long)System.Text.Encoding.UTF8.GetByteCount(t?.Payload ?? ""));
        if (bytes > options.MaxBatchBytes)
        {
            throw new TaskRejectedException(0, "(batch)", $"the batch's payloads are {bytes:N0} bytes; one submit takes at most {options.MaxBatchBytes:N0} (QueueOptions.MaxBatchBytes). Submit it in parts.");
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var t = batch[i] ?? throw new TaskRejectedException(i, "(task)", "is null");
            CheckRouting(i, t, options);
            CheckRetries(i, t);
            CheckLabels(i, t, options);
            CheckParents(i, t);
        }
    }

    // Kind, class and priority: where and in what order it runs.
    private static void CheckRouting(int i, TaskSubmission t, QueueOptions options)
    {
        if (!Core.Configuration.GridNameAttribute.IsName(t.Kind))
        {
            throw new TaskRejectedException(i, nameof(t.Kind), $"'{t.Kind}' must be 1..64 letters, digits, '-', '_' or '.'");
        }

        if (!options.Classes.Contains(t.Class))
        {
            throw new TaskRejectedException(i, nameof(t.Class), $"unknown class '{t.Class}'; this grid has {string.Join(", ", options.Classes)}");
        }

        if (t.Priority is < 0 or > QueueOptions.MaxPriority)
        {
            throw new TaskRejectedException(i, nameof(t.Priority), $"is {t.Priority}; allowed 0..{QueueOptions.MaxPriority}");
        }
    }

    // Delay, attempts and backoff: when it runs, and again.
    private static void CheckRetries(int i, TaskSubmission t)
    {
        if (t.Delay < TimeSpan.Zero)
        {
            throw new TaskRejectedException(i, nameof(t.Delay), "must not be negative");
        }

        if (t.MaxAttempts is < 1 or > 1000)
        {
            throw new TaskRejectedException(i, nameof(t.MaxAttempts), $"is {t.MaxAttempts}; allowed 1..1000");
        }

        if (t.Backoff?.Validate($"tasks[{i}].Backoff").FirstOrDefault() is { } backoffProblem)
        {
            throw new TaskRejectedException(i, nameof(t.Backoff), backoffProblem);
        }
    }

    // The payload's size and the strings stored with the task.
    private static void CheckLabels(int i, TaskSubmission t, QueueOptions options)
    {
        var payloadBytes = System.Text.Encoding.UTF8.GetByteCount(t.Payload ?? "");
        if (payloadBytes > options.MaxPayloadBytes)
        {
            throw new TaskRejectedException(i, nameof(t.Payload), $"is {payloadBytes} bytes; the limit is {options.MaxPayloadBytes} (QueueOptions.MaxPayloadBytes). Put big inputs in a dataset.");
        }

        if (t.IdempotencyKey is { Length: 0 or > 200 })
        {
            throw new TaskRejectedException(i, nameof(t.IdempotencyKey), "must be 1..200 characters");
        }

        if (t.CorrelationId is { Length: > 200 } || (t.CorrelationId?.AsSpan().ContainsAnyInRange('\0', '\x1f') ?? false))
        {
            throw new TaskRejectedException(i, nameof(t.CorrelationId), "must be at most 200 characters, with no control characters");
        }

        if (t.Submitter is { Length: 0 or > 128 } || (t.Submitter?.AsSpan().ContainsAnyInRange('\0', ' ') ?? false))
        {
            throw new TaskRejectedException(i, nameof(t.Submitter), "must be 1..128 characters, with no spaces or control characters");
        }
    }

    // Each parent: an earlier task of the batch (#i) or a task id.
    private static void CheckParents(int i, TaskSubmission t)
    {
        foreach (var parent in t.DependsOn)
        {
            if (parent.StartsWith('#'))
            {
                if (!int.TryParse(parent.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) || index >= i)
                {
                    throw new TaskRejectedException(i, nameof(t.DependsOn), $"'{parent}' must refer to an earlier task of the batch");
                }
            }
            else if (!TaskIds.IsValid(parent))
            {
                throw new TaskRejectedException(i, nameof(t.DependsOn), $"'{parent}' is not a task id ({TaskIds.Format})");
            }
        }
    }
}
