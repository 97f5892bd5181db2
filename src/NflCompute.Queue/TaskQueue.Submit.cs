using System.Diagnostics;
using NflCompute.Core.Errors;
using NflCompute.Core.Telemetry;
using NflCompute.Queue.Redis;
using NflCompute.Queue.Scripts;

namespace NflCompute.Queue;

public sealed partial class TaskQueue
{
    /// <summary>Submits one task.</summary>
    /// <exception cref="TaskRejectedException">The task is invalid; nothing was stored.</exception>
    public async Task<SubmitResult> SubmitAsync(TaskSubmission task) =>
        (await SubmitBatchAsync([task]).ConfigureAwait(false))[0];

    /// <summary>
    /// Submits a batch atomically, in one round trip: either every task is stored or none is.
    /// Tasks may depend on earlier ones of the batch through <see cref="TaskSubmission.InBatch"/>.
    /// </summary>
    /// <exception cref="TaskRejectedException">A task is invalid (the message names its index and field); nothing was stored.</exception>
    public async Task<IReadOnlyList<SubmitResult>> SubmitBatchAsync(IReadOnlyList<TaskSubmission> batch)
    {
        SubmissionValidator.Validate(batch, Options);
        // The batch's span is every task's parent: its traceparent goes with each task, and the
        // worker continues the trace from it. Untraced (nobody listening, no trace around), no
        // traceparent is stored and nothing is spent.
        using var activity = GridTracing.Queue.StartActivity("submit", ActivityKind.Producer);
        var now = Now;
        var ids = new string[batch.Count];
        _ids.Issue(now, ids);
        activity?.SetTag("nflc.grid", Options.Namespace).SetTag("nflc.tasks", batch.Count);
        if (batch.Count == 1)
        {
            activity?.SetTag("nflc.task.id", ids[0]).SetTag("nflc.task.kind", batch[0].Kind);
        }

        var args = SubmitArgs(batch, ids, now, GridTracing.CurrentTraceParent());
        var r = await ReplyAsync(QueueScript.Submit, args, replicated: true).ConfigureAwait(false);
        var code = (ResultCode)r.Long("result code");
        if (code != ResultCode.Ok)
        {
            var error = SubmitError(code, (int)r.Long("task index"), r.String("detail"));
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            throw error;
        }

        var results = new SubmitResult[batch.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var id = r.String("id");
            var dup = r.Long("duplicate"); // 0 new, 1 a repeat of the key, 2 a repeat that replaced the body
            results[i] = new SubmitResult(id, dup >= 1) { Replaced = dup == 2 };
        }

        return results;
    }

    /// <summary>The ARGV of lua/submit.lua for a validated batch and its new ids (one per task; a task whose idempotency key matched keeps its earlier id).</summary>
    internal static ScriptArgs SubmitArgs(IReadOnlyList<TaskSubmission> batch, IReadOnlyList<string> ids, long now, string? traceParent = null)
    {
        var args = new ScriptArgs(2 + (batch.Count * 12)).Add(now).Add(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var t = batch[i];
            args.Add(ids[i])
                .Add(TaskBody.Pack(t.Kind, t.CorrelationId, traceParent, t.Payload))
                .Add(t.Class)
                .Add(t.Priority)
                .Add((long)t.Delay.TotalMilliseconds)
                .Add(t.MaxAttempts is { } ma ? Int(ma) : "")
                .Add(t.Backoff?.ToSpec() ?? "")
                .Add(t.IdempotencyKey ?? "")
                .Add(string.Join(',', t.DependsOn))
                .Add(t.OnParentFailure switch { ParentFailurePolicy.Cancel => "c", ParentFailurePolicy.Ignore => "i", ParentFailurePolicy.Wait => "w", _ => "f" })
                .Add(t.OnDuplicate switch { DuplicatePolicy.Extend => "e", DuplicatePolicy.Replace => "r", DuplicatePolicy.KeepLastIfActive => "k", _ => "" })
                .Add(t.Submitter ?? "");
        }

        return args;
    }

    private NflComputeException SubmitError(ResultCode code, int index, string detail) => QueueErrors.ForSubmission(code, index, detail, Options.Prefix);
}
