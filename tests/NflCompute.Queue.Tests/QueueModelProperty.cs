using FsCheck;
using FsCheck.Fluent;
using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

/// <summary>
/// Random sequences of operations run against Redis and against a plain in-memory model of the
/// queue; after every step both must agree on every task, and the invariants must hold: each task
/// in exactly one state and one structure, none lost, none held by two workers, attempts never
/// decrease.
/// </summary>
public sealed class QueueModelProperty(RedisServer redis) : QueueTestBase(redis)
{
    private static readonly TimeSpan ModelLease = TimeSpan.FromSeconds(10);
    private const int MaxAttempts = 2;
    private const int MaxStalls = 1;
    private const int BackoffMs = 1000;

    public abstract record Op;

    public sealed record Submit(int Priority, int DelayMs, int Submitter) : Op;

    public sealed record Claim(int Worker, int Count) : Op;

    public sealed record Heartbeat(int Worker) : Op;

    public sealed record Complete(int Worker, int Pick) : Op;

    public sealed record Fail(int Worker, int Pick, bool Retryable) : Op;

    public sealed record Release(int Worker, int Pick) : Op;

    public sealed record Advance(int Ms) : Op;

    public sealed record Recover : Op;

    public sealed record Cancel(int Pick) : Op;

    public sealed record Requeue(int Pick) : Op;

    public sealed record Pause : Op;

    public sealed record Resume : Op;

    public sealed record Limit(int? MaxRunning) : Op;

    private static Gen<Op> OpGen()
    {
        var worker = Gen.Choose(0, 2);
        var pick = Gen.Choose(0, 50);
        return Gen.Frequency(
            (6, Gen.Elements(0, 0, 0, 1, 2).SelectMany(p => Gen.Elements(0, 0, 0, 1500), (p, d) => (p, d)).SelectMany(_ => Gen.Elements(0, 0, 1, 2), (pd, u) => (Op)new Submit(pd.p, pd.d, u))),
            (5, worker.SelectMany(_ => Gen.Choose(1, 5), (w, n) => (Op)new Claim(w, n))),
            (2, worker.Select(w => (Op)new Heartbeat(w))),
            (3, worker.SelectMany(_ => pick, (w, p) => (Op)new Complete(w, p))),
            (3, worker.SelectMany(_ => pick, (w, p) => (w, p)).SelectMany(_ => Gen.Elements(true, true, false), (wp, r) => (Op)new Fail(wp.w, wp.p, r))),
            (1, worker.SelectMany(_ => pick, (w, p) => (Op)new Release(w, p))),
            (3, Gen.Elements(300, 1000, 4000, 11000).Select(ms => (Op)new Advance(ms))),
            (2, Gen.Constant((Op)new Recover())),
            (1, pick.Select(p => (Op)new Cancel(p))),
            (1, pick.Select(p => (Op)new Requeue(p))),
            (1, Gen.Constant((Op)new Pause())),
            (1, Gen.Constant((Op)new Resume())),
            (1, Gen.Elements<int?>(null, 1, 2).Select(m => (Op)new Limit(m))));
    }

    [Fact]
    public async Task RedisAndTheModel_AgreeOnEveryStep_OfRandomOperationSequences()
    {
        var ops = Gen.ListOf(OpGen()).Select(l => l.ToArray()).Where(a => a.Length > 0);

        // A failing sequence shrinks by dropping one operation at a time.
        static IEnumerable<Op[]> Shrink(Op[] a) => Enumerable.Range(0, a.Length).Select(i => a.Where((_, j) => j != i).ToArray()).Where(x => x.Length > 0);

        // FsCheck runs properties synchronously; it runs on a pool thread here so that the
        // test thread stays free for the Redis client's completions.
        await Task.Run(() => Prop.ForAll(Arb.From(ops, Shrink), sequence => RunAsync(sequence).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(250).WithEndSize(40)));
    }

    private sealed class ModelTask
    {
        public required string Id { get; init; }

        public TaskState State { get; set; }

        public int Priority { get; init; }

        public required string Submitter { get; init; }

        public long Eligible { get; set; }

        public int Attempts { get; set; }

        public int Charged { get; set; }

        public int Stalls { get; set; }

        public string? Worker { get; set; }

        public long Token { get; set; }

        public long LeaseDeadline { get; set; }

        public bool CancelRequested { get; set; }
    }

    private async Task<bool> RunAsync(Op[] ops)
    {
        var queue = await NewQueueAsync(o =>
        {
            o.Classes = ["cpu"];
            o.AgingPointsPerMinute = 0;
            o.MaxAttempts = MaxAttempts;
            o.MaxStalls = MaxStalls;
            o.Backoff = BackoffPolicy.Fixed(TimeSpan.FromMilliseconds(BackoffMs));
        });
        var model = new List<ModelTask>();

        // Each priority level holds a FIFO per submitter: new and promoted tasks join the back,
        // stalled and released ones return to the front; the level's ring lists the submitters
        // with pending tasks in turn order (fair share).
        var levels = Enumerable.Range(0, 3).Select(_ => new ModelLevel()).ToArray();
        void PushBack(ModelTask t)
        {
            t.State = TaskState.Pending;
            levels[t.Priority].PushBack(t);
        }

        void PushFront(ModelTask t)
        {
            t.State = TaskState.Pending;
            levels[t.Priority].PushFront(t);
        }

        var held = Enumerable.Range(0, 3).Select(_ => new List<ClaimedTask>()).ToArray();
        var paused = false;
        int? maxRunning = null;
        var lastAttempts = new Dictionary<string, int>();
        long Now() => Clock.GetUtcNow().ToUnixTimeMilliseconds();
        ModelTask Find(string id) => model.Single(t => t.Id == id);

        int PromoteDue()
        {
            var due = model.Where(t => t.State == TaskState.Delayed && t.Eligible <= Now())
                .OrderBy(t => t.Eligible).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
            due.ForEach(PushBack);
            return due.Count;
        }

        for (var step = 0; step < ops.Length; step++)
        {
            var op = ops[step];
            string Where() => $"step {step} ({op}) of [{string.Join(", ", ops.Take(step + 1))}]";
            switch (op)
            {
                case Submit s:
                {
                    var submitter = s.Submitter == 0 ? null : "user" + s.Submitter;
                    var r = await queue.SubmitAsync(new TaskSubmission { Kind = "m", Priority = s.Priority, Delay = TimeSpan.FromMilliseconds(s.DelayMs), Submitter = submitter });
                    var t = new ModelTask { Id = r.Id, Priority = s.Priority, Submitter = submitter ?? "", State = TaskState.Delayed, Eligible = Now() + s.DelayMs };
                    model.Add(t);
                    if (s.DelayMs == 0)
                    {
                        PushBack(t);
                    }

                    break;
                }

                case Claim c:
                {
                    PromoteDue();
                    var expected = new List<ModelTask>();
                    var allowed = maxRunning is { } most ? Math.Max(0, Math.Min(c.Count, most - model.Count(t => t.State == TaskState.Running))) : c.Count;
                    // A claim takes a level's share in chunks, but one task at a time while a
                    // lower level also waits (it compares the two after each task; with aging off
                    // the higher level always wins).
                    for (var level = 2; level >= 0 && expected.Count < allowed && !paused; level--)
                    {
                        while (expected.Count < allowed && !levels[level].IsEmpty)
                        {
                            var lowerWaiting = levels.Take(level).Any(l => !l.IsEmpty);
                            expected.AddRange(levels[level].Take(lowerWaiting ? 1 : allowed - expected.Count, id => Find(id).State == TaskState.Pending).Select(Find));
                        }
                    }

                    var claimed = await queue.ClaimAsync("w" + c.Worker, Cpu, c.Count, ModelLease);
                    Assert.True(expected.Select(t => t.Id).SequenceEqual(claimed.Select(t => t.Id)), $"claim order differs at {Where()}");
                    foreach (var task in claimed)
                    {
                        var t = Find(task.Id);
                        t.State = TaskState.Running;
                        t.Attempts++;
                        t.Worker = "w" + c.Worker;
                        t.Token = task.FencingToken;
                        t.LeaseDeadline = Now() + (long)ModelLease.TotalMilliseconds;
                        Assert.Equal(t.Attempts, task.Attempt);
                        held[c.Worker].Add(task);
                    }

                    break;
                }

                case Pause:
                    await queue.PauseAsync(Cpu);
                    paused = true;
                    break;

                case Resume:
                    await queue.ResumeAsync(Cpu);
                    paused = false;
                    break;

                case Limit l:
                    await queue.SetLimitsAsync("cpu", new ClassLimits(l.MaxRunning));
                    maxRunning = l.MaxRunning;
                    break;

                case Heartbeat h:
                {
                    var reply = await queue.HeartbeatAsync("w" + h.Worker, held[h.Worker], ModelLease, TimeSpan.FromHours(1));
                    var expectLost = new List<string>();
                    var expectCancel = new List<string>();
                    foreach (var task in held[h.Worker])
                    {
                        var t = Find(task.Id);
                        if (t.State != TaskState.Running || t.Token != task.FencingToken)
                        {
                            expectLost.Add(task.Id);
                        }
                        else
                        {
                            t.LeaseDeadline = Now() + (long)ModelLease.TotalMilliseconds;
                            if (t.CancelRequested)
                            {
                                expectCancel.Add(task.Id);
                            }
                        }
                    }

                    Assert.True(expectLost.SequenceEqual(reply.Lost) && expectCancel.SequenceEqual(reply.CancelRequested), $"heartbeat differs at {Where()}");
                    held[h.Worker].RemoveAll(task => expectLost.Contains(task.Id));
                    break;
                }

                case Complete c when held[c.Worker].Count > 0:
                {
                    var task = held[c.Worker][c.Pick % held[c.Worker].Count];
                    held[c.Worker].Remove(task);
                    var t = Find(task.Id);
                    var owns = t.State == TaskState.Running && t.Token == task.FencingToken;
                    var accepted = (await queue.CompleteManyAsync([(task, "r")]))[0];
                    Assert.True(owns == accepted, $"complete accepted={accepted}, model owns={owns} at {Where()}");
                    if (owns)
                    {
                        t.State = TaskState.Completed;
                    }

                    break;
                }

                case Fail f when held[f.Worker].Count > 0:
                {
                    var task = held[f.Worker][f.Pick % held[f.Worker].Count];
                    held[f.Worker].Remove(task);
                    var t = Find(task.Id);
                    var outcome = (await queue.FailManyAsync([new TaskFailure(task, "e", f.Retryable)]))[0].Kind;
                    FailOutcomeKind expected;
                    if (t.State != TaskState.Running || t.Token != task.FencingToken)
                    {
                        expected = FailOutcomeKind.LeaseLost;
                    }
                    else if (t.CancelRequested)
                    {
                        expected = FailOutcomeKind.Cancelled;
                        t.State = TaskState.Cancelled;
                    }
                    else if (f.Retryable && t.Attempts - t.Charged < MaxAttempts)
                    {
                        expected = FailOutcomeKind.RetryScheduled;
                        t.State = TaskState.Delayed;
                        t.Eligible = Now() + BackoffMs;
                    }
                    else
                    {
                        expected = FailOutcomeKind.Failed;
                        t.State = TaskState.Failed;
                    }

                    Assert.True(expected == outcome, $"fail gave {outcome}, model {expected} at {Where()}");
                    break;
                }

                case Release r when held[r.Worker].Count > 0:
                {
                    var task = held[r.Worker][r.Pick % held[r.Worker].Count];
                    held[r.Worker].Remove(task);
                    var t = Find(task.Id);
                    var outcome = (await queue.ReleaseAsync([task]))[0];
                    var expected = t.State != TaskState.Running || t.Token != task.FencingToken ? ReleaseOutcome.LeaseLost
                        : t.CancelRequested ? ReleaseOutcome.Cancelled : ReleaseOutcome.Requeued;
                    if (expected == ReleaseOutcome.Cancelled)
                    {
                        t.State = TaskState.Cancelled;
                    }
                    else if (expected == ReleaseOutcome.Requeued)
                    {
                        PushFront(t);
                        t.Charged++;
                    }

                    Assert.True(expected == outcome, $"release gave {outcome}, model {expected} at {Where()}");
                    break;
                }

                case Advance a:
                    Clock.Advance(TimeSpan.FromMilliseconds(a.Ms));
                    break;

                case Recover:
                {
                    var report = await queue.RecoverAsync();
                    int requeued = 0, failed = 0, cancelled = 0;
                    var expired = model.Where(t => t.State == TaskState.Running && t.LeaseDeadline <= Now())
                        .OrderBy(t => t.LeaseDeadline).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
                    foreach (var t in expired)
                    {
                        if (t.CancelRequested)
                        {
                            t.State = TaskState.Cancelled;
                            cancelled++;
                        }
                        else if (++t.Stalls > MaxStalls)
                        {
                            t.State = TaskState.Failed;
                            failed++;
                        }
                        else
                        {
                            PushFront(t);
                            t.Charged++; // a lost worker is not the task's failure
                            requeued++;
                        }
                    }

                    var promoted = PromoteDue();
                    Assert.True(report == new RecoveryReport(0, requeued, failed, cancelled, promoted, 0), $"recovery {report} at {Where()}");
                    break;
                }

                case Cancel c when model.Count > 0:
                {
                    var t = model[c.Pick % model.Count];
                    if (t.State.IsFinal())
                    {
                        await Assert.ThrowsAsync<InvalidTaskStateException>(() => queue.CancelAsync(t.Id));
                    }
                    else
                    {
                        Assert.Equal(t.State, await queue.CancelAsync(t.Id));
                        if (t.State == TaskState.Running)
                        {
                            t.CancelRequested = true;
                        }
                        else
                        {
                            // Its entry stays in its submitter's queue (holding that submitter's
                            // turn) until a claim drops it without counting it.
                            t.State = TaskState.Cancelled;
                        }
                    }

                    break;
                }

                case Requeue r when model.Count > 0:
                {
                    var t = model[r.Pick % model.Count];
                    if (t.State == TaskState.Failed)
                    {
                        await queue.RequeueDeadLetterAsync(t.Id);
                        PushBack(t);
                        t.Charged = t.Attempts;
                        t.Stalls = 0;
                        t.CancelRequested = false;
                    }
                    else
                    {
                        await Assert.ThrowsAsync<InvalidTaskStateException>(() => queue.RequeueDeadLetterAsync(t.Id));
                    }

                    break;
                }
            }

            await CheckInvariantsAsync(queue, model, lastAttempts, Where());
        }

        return true;
    }

    private async Task CheckInvariantsAsync(TaskQueue queue, List<ModelTask> model, Dictionary<string, int> lastAttempts, string where)
    {
        var p = queue.Options.Prefix;
        var structures = new Dictionary<string, HashSet<string>>
        {
            ["pending"] = await PendingIdsAsync(p),
            ["delayed"] = Members(await Db.SortedSetRangeByRankAsync(p + ":delayed")),
            ["leases"] = Members(await Db.SortedSetRangeByRankAsync(p + ":leases")), // "<id>:<token hash>" of the current claim
            ["dlq"] = Members(await Db.SortedSetRangeByRankAsync(p + ":dlq")),
        };
        var processing = new List<string>();
        for (var w = 0; w < 3; w++)
        {
            processing.AddRange((await Db.SetMembersAsync($"{p}:proc:w{w}")).Select(v => (string)v!));
        }

        Assert.True(processing.Count == processing.Distinct().Count(), $"a task is in two processing sets at {where}");
        foreach (var t in model)
        {
            var info = await queue.GetAsync(t.Id);
            Assert.True(info is not null, $"task {t.Id} was lost at {where}");
            Assert.True(info.State == t.State, $"task {t.Id} is {info.State} in Redis, {t.State} in the model, at {where}");
            Assert.True(info.Attempts == t.Attempts, $"task {t.Id} has {info.Attempts} attempts, model {t.Attempts}, at {where}");
            Assert.True(info.Attempts >= lastAttempts.GetValueOrDefault(t.Id), $"attempts of {t.Id} decreased at {where}");
            lastAttempts[t.Id] = info.Attempts;
            var expectedHome = t.State switch
            {
                TaskState.Pending => "pending",
                TaskState.Delayed => "delayed",
                TaskState.Running => "leases",
                TaskState.Failed => "dlq",
                _ => null,
            };
            // A task cancelled while pending stays in its level list until a claim skips it.
            var member = new Dictionary<string, string> { ["leases"] = LeaseMember.Of(t.Id, t.Token) };
            var homes = structures.Where(s => s.Value.Contains(member.GetValueOrDefault(s.Key, t.Id)) && !(s.Key == "pending" && t.State == TaskState.Cancelled)).Select(s => s.Key).ToList();
            Assert.True(homes.SequenceEqual(expectedHome is null ? [] : [expectedHome]), $"task {t.Id} ({t.State}) is in [{string.Join(",", homes)}] at {where}");
            Assert.True(processing.Contains(t.Id) == (t.State == TaskState.Running), $"task {t.Id} ({t.State}) processing-list membership is wrong at {where}");
        }
    }

    private async Task<HashSet<string>> PendingIdsAsync(string prefix)
    {
        var ids = new HashSet<string>();
        for (var priority = 0; priority <= 2; priority++)
        {
            var level = new List<string>();
            var ring = (await Db.ListRangeAsync($"{prefix}:rr:cpu:{priority}")).Select(v => (string)v!).ToList();
            Assert.True(ring.Count == ring.Distinct().Count(), $"a submitter is twice in the ring of level {priority}");
            foreach (var submitter in ring)
            {
                var fifo = await Db.ListRangeAsync($"{prefix}:q:cpu:{priority}:{submitter}");
                Assert.True(fifo.Length > 0, $"submitter {submitter} is in the ring of level {priority} with nothing pending");
                level.AddRange(fifo.Select(v => ((string)v!)[..TaskIds.Length]));
            }

            Assert.True(level.Count == level.Distinct().Count(), $"a task is twice in level {priority}");
            ids.UnionWith(level);
        }

        return ids;
    }

    /// <summary>
    /// One priority level as fair share defines it: a FIFO per submitter and a ring of the
    /// submitters with pending tasks; a claim visits the ring in rounds, each submitter taking an
    /// equal share of what is still wanted (at least one) and moving to the back. Entries of tasks
    /// cancelled while pending stay until a visit drops them, taking no share.
    /// </summary>
    private sealed class ModelLevel
    {
        private readonly Dictionary<string, LinkedList<string>> _fifos = [];
        private readonly LinkedList<string> _ring = new();

        public bool IsEmpty => _ring.Count == 0;

        private LinkedList<string> Fifo(string submitter) =>
            _fifos.TryGetValue(submitter, out var f) ? f : _fifos[submitter] = new LinkedList<string>();

        public void PushBack(ModelTask t)
        {
            var fifo = Fifo(t.Submitter);
            if (fifo.Count == 0)
            {
                _ring.AddLast(t.Submitter);
            }

            fifo.AddLast(t.Id);
        }

        public void PushFront(ModelTask t)
        {
            var fifo = Fifo(t.Submitter);
            if (fifo.Count == 0)
            {
                _ring.AddFirst(t.Submitter);
            }

            fifo.AddFirst(t.Id);
        }

        public List<string> Take(int want, Func<string, bool> live)
        {
            var taken = new List<string>();
            while (taken.Count < want && _ring.Count > 0)
            {
                var share = Math.Max(1, (want - taken.Count) / _ring.Count);
                for (var visits = _ring.Count; visits > 0 && taken.Count < want; visits--)
                {
                    var submitter = _ring.First!.Value;
                    _ring.RemoveFirst();
                    var fifo = _fifos[submitter];
                    for (var took = 0; took < share && taken.Count < want && fifo.First is { } head;)
                    {
                        fifo.RemoveFirst();
                        if (live(head.Value))
                        {
                            taken.Add(head.Value);
                            took++;
                        }
                    }

                    if (fifo.Count > 0)
                    {
                        _ring.AddLast(submitter);
                    }
                }
            }

            return taken;
        }
    }

    private static HashSet<string> Members(StackExchange.Redis.RedisValue[] values) => values.Select(v => (string)v!).ToHashSet();
}
