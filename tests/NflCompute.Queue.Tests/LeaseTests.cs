using NflCompute.Core;
using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

public sealed class LeaseTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task Claim_PutsTheTaskOnTheWorkersProcessingList_UnderALease_WithAToken()
    {
        var submitted = await SubmitAsync(payload: "{\"x\":1}");

        var task = await ClaimOneAsync();

        Assert.Equal((submitted.Id, 1, "noop", "{\"x\":1}"), (task.Id, task.Attempt, task.Kind, task.Payload));
        Assert.True(task.FencingToken > 0);
        Assert.Equal([submitted.Id], (await Db.SetMembersAsync($"{Prefix}:proc:{Worker}")).Select(v => (string)v!));
        var deadline = await Db.SortedSetScoreAsync($"{Prefix}:leases", LeaseMember.Of(submitted.Id, task.FencingToken));
        Assert.Equal((Clock.GetUtcNow() + Lease).ToUnixTimeMilliseconds(), (long)deadline!.Value);
        var info = await Queue.GetAsync(submitted.Id);
        Assert.Equal((TaskState.Running, Worker), (info!.State, info.Worker));
        Assert.Equal(0, (await Queue.GetCountsAsync()).Pending);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(65)]
    [InlineData(100_000)]
    public async Task Claim_ReturnsThePayloadWhole_WhateverItsSizeAndContent(int size)
    {
        var payload = string.Concat(Enumerable.Range(0, size).Select(i => "ab \n{}é"[i % 7]));
        var id = (await Queue.SubmitAsync(new TaskSubmission { Kind = "k", Payload = payload, CorrelationId = "c 1" })).Id;

        var task = await ClaimOneAsync();

        Assert.Equal((id, "k", "c 1", payload), (task.Id, task.Kind, task.CorrelationId, task.Payload));
        Assert.Equal(payload, (await Queue.GetAsync(id))!.Payload);
    }

    [Fact]
    public async Task Claim_Batch_ReturnsUpToTheMaximum_EachUnderItsOwnLease()
    {
        await Queue.SubmitBatchAsync(Enumerable.Range(0, 7).Select(_ => new TaskSubmission { Kind = "noop" }).ToList());

        var first = await Queue.ClaimAsync(Worker, Cpu, 5, Lease);
        var second = await Queue.ClaimAsync(Worker, Cpu, 5, Lease);
        var third = await Queue.ClaimAsync(Worker, Cpu, 5, Lease);

        Assert.Equal((5, 2, 0), (first.Count, second.Count, third.Count));
        Assert.Equal(7, first.Concat(second).Select(t => t.Id).Distinct().Count());
        Assert.All(first.Concat(second), t => Assert.Equal((1, 1), (t.Attempt, ClaimedTask.AttemptOf(t.FencingToken))));
        Assert.Equal(7, await Db.SortedSetLengthAsync($"{Prefix}:leases"));
        Assert.Equal(7, (await Queue.GetCountsAsync()).Running);
    }

    [Fact]
    public async Task AWorkerThatDied_HasItsTaskRecoveredAfterTheLease_AndCompletedExactlyOnce()
    {
        var submitted = await SubmitAsync();
        var lost = await ClaimOneAsync("worker-dies");

        Clock.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, (await Queue.RecoverAsync()).Requeued);
        Clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(1, (await Queue.RecoverAsync()).Requeued);
        Assert.Equal(0, (await Queue.RecoverAsync()).Requeued);

        var retaken = await ClaimOneAsync("worker-2");
        Assert.True(retaken.FencingToken > lost.FencingToken);
        await Queue.CompleteAsync(retaken, "result-2");
        await Assert.ThrowsAsync<LeaseLostException>(() => Queue.CompleteAsync(lost, "result-1"));

        var info = await Queue.GetAsync(submitted.Id);
        Assert.Equal((TaskState.Completed, "result-2", 2, 1), (info!.State, info.Result, info.Attempts, info.Stalls));
        Assert.Equal(1, (await Queue.GetCountsAsync()).CompletedTotal);
        Assert.Equal(0, await Db.SetLengthAsync($"{Prefix}:proc:worker-dies"));
        Assert.Equal(0, await Db.SetLengthAsync($"{Prefix}:proc:worker-2"));
        Assert.Equal(0, await Db.SortedSetLengthAsync($"{Prefix}:leases"));
    }

    [Fact]
    public async Task AClientThatKnowsOnlyATasksIdAndAttempt_CannotCompleteOrFailIt_ByGuessingItsToken()
    {
        // Everything an outsider can know: the id (status, the dashboard), the attempt number and
        // roughly when the claim happened. Tokens once were attempt * 2^32 + the claim time's low
        // bits, so those guessed it at once.
        var submitted = await SubmitAsync();
        var held = await ClaimOneAsync();
        var claimedAt = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var guesses = Enumerable.Range(-50, 101).Select(d => (1L << 32) + ((claimedAt + d) % (1L << 32))).Append(1L).Append(1L << 32).ToList();

        foreach (var guess in guesses)
        {
            var forged = held with { FencingToken = guess, WorkerId = "intruder" };
            await Assert.ThrowsAsync<LeaseLostException>(() => Queue.CompleteAsync(forged, "forged"));
            await Assert.ThrowsAsync<LeaseLostException>(() => Queue.FailAsync(new TaskFailure(forged, "forged", Retryable: false)));
        }

        var info = await Queue.GetAsync(submitted.Id);
        Assert.Equal((TaskState.Running, Worker, null), (info!.State, info.Worker, info.Error));
        await Queue.CompleteAsync(held, "done"); // its holder still can
    }

    [Fact]
    public async Task NoKeyOfTheGrid_HoldsARunningTasksTokenInTheClear()
    {
        // A client allowed to read the grid's keys (any of its Redis users) must not find a token
        // it could present: Redis keeps a hash of it only.
        await SubmitAsync();
        var held = await ClaimOneAsync();
        var token = held.FencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var everything = new List<string>();
        var keys = new List<StackExchange.Redis.RedisKey>();
        foreach (var server in Redis.Raw.GetEndPoints().Select(e => Redis.Raw.GetServer(e)).Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: Prefix + "*"))
            {
                keys.Add(key);
            }
        }

        foreach (var key in keys)
        {
            var type = await Db.KeyTypeAsync(key);
            everything.Add(key!);
            everything.AddRange(type switch
            {
                StackExchange.Redis.RedisType.Hash => (await Db.HashGetAllAsync(key)).SelectMany(e => new[] { (string)e.Name!, (string)e.Value! }),
                StackExchange.Redis.RedisType.SortedSet => (await Db.SortedSetRangeByRankAsync(key)).Select(v => (string)v!),
                StackExchange.Redis.RedisType.Set => (await Db.SetMembersAsync(key)).Select(v => (string)v!),
                StackExchange.Redis.RedisType.List => (await Db.ListRangeAsync(key)).Select(v => (string)v!),
                StackExchange.Redis.RedisType.String => [(string)(await Db.StringGetAsync(key))!],
                _ => [],
            });
        }

        Assert.DoesNotContain(everything, v => v.Contains(token, StringComparison.Ordinal));
        Assert.Contains(LeaseMember.Of(held.Id, held.FencingToken), everything);
        await Queue.CompleteAsync(held, "done"); // the claimant, who has it, still completes
    }

    [Fact]
    public async Task AWorkerPastItsLease_CanNeitherCompleteNorFail_OnceTheTaskHasANewOwner()
    {
        await SubmitAsync();
        var stale = await ClaimOneAsync("slow-worker");
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Queue.RecoverAsync();
        var owner = await ClaimOneAsync("worker-2");

        await Assert.ThrowsAsync<LeaseLostException>(() => Queue.CompleteAsync(stale, "late"));
        var failError = await Assert.ThrowsAsync<LeaseLostException>(() => Queue.FailAsync(new TaskFailure(stale, "late failure")));
        Assert.Contains("no longer holds the lease", failError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(stale.FencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture), failError.Message, StringComparison.Ordinal); // the token stays a secret

        var info = await Queue.GetAsync(owner.Id);
        Assert.Equal((TaskState.Running, "worker-2", null), (info!.State, info.Worker, info.Error));
        await Queue.CompleteAsync(owner, "ok");
        Assert.Equal("ok", (await Queue.GetAsync(owner.Id))!.Result);
    }

    [Fact]
    public async Task Heartbeat_ExtendsTheLease_SoRecoveryLeavesTheTaskAlone()
    {
        await SubmitAsync();
        var task = await ClaimOneAsync();

        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(Lease - TimeSpan.FromSeconds(5));
            var reply = await Queue.HeartbeatAsync(Worker, [task], Lease, TimeSpan.FromMinutes(1));
            Assert.Empty(reply.Lost);
            Assert.Equal(0, (await Queue.RecoverAsync()).Requeued);
        }

        await Queue.CompleteAsync(task, "done");
        Assert.Equal(TaskState.Completed, await StateOf(task.Id));
    }

    [Fact]
    public async Task Heartbeat_ReportsTasksTheWorkerNoLongerHolds()
    {
        await SubmitAsync();
        var task = await ClaimOneAsync();
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Queue.RecoverAsync();

        var reply = await Queue.HeartbeatAsync(Worker, [task], Lease, TimeSpan.FromMinutes(1));

        Assert.Equal([task.Id], reply.Lost);
    }

    [Fact]
    public async Task TheStallLimit_SendsTheTaskToTheDlq_WithItsReason()
    {
        var queue = await NewQueueAsync(o => o.MaxStalls = 1);
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "crashes-workers" })).Id;

        await queue.ClaimAsync("w1", Cpu, 1, Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await queue.RecoverAsync()).Requeued);
        await queue.ClaimAsync("w2", Cpu, 1, Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var report = await queue.RecoverAsync();

        Assert.Equal((0, 1), (report.Requeued, report.Failed));
        var dead = Assert.Single((await queue.ListDeadLettersAsync()).Items);
        Assert.Equal(id, dead.Id);
        Assert.Contains("stalled 2 times (limit 1)", dead.Error, StringComparison.Ordinal);
        Assert.Contains("lease expired on worker w2", dead.Error, StringComparison.Ordinal);
        Assert.Equal(TaskState.Failed, (await queue.GetAsync(id))!.State);
    }

    [Fact]
    public async Task AStall_DoesNotUseUpAnAttempt_ItsRetriesAreAllLeft()
    {
        // A task whose worker was killed under it has not failed: its failures still get the whole
        // budget of attempts, however often it lost its worker before (within the stall limit).
        var queue = await NewQueueAsync(o => (o.MaxAttempts, o.MaxStalls) = (2, 5));
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        for (var stalls = 0; stalls < 3; stalls++)
        {
            Assert.Single(await queue.ClaimAsync($"w{stalls}", Cpu, 1, Lease));
            Clock.Advance(Lease + TimeSpan.FromSeconds(1));
            Assert.Equal(1, (await queue.RecoverAsync()).Requeued);
        }

        var fourth = Assert.Single(await queue.ClaimAsync("w3", Cpu, 1, Lease));
        Assert.Equal(4, fourth.Attempt);
        var retry = await queue.FailAsync(new TaskFailure(fourth, "flaky network"));
        Assert.Equal(FailOutcomeKind.RetryScheduled, retry.Kind);

        Clock.Advance(TimeSpan.FromMinutes(10));
        await queue.RecoverAsync();
        var fifth = Assert.Single(await queue.ClaimAsync("w4", Cpu, 1, Lease));
        var final = await queue.FailAsync(new TaskFailure(fifth, "flaky network"));
        Assert.Equal(FailOutcomeKind.Failed, final.Kind);
        Assert.Contains("attempt 2 of 2 failed", Assert.Single((await queue.ListDeadLettersAsync()).Items).Error, StringComparison.Ordinal);
        Assert.Equal(id, fifth.Id);
    }

    [Fact]
    public async Task AWorkerWhoseRegistrationLapsed_LosesItsTasksBeforeTheirLeasesExpire()
    {
        await Queue.RegisterWorkerAsync(new WorkerRegistration(Worker, TimeSpan.FromSeconds(10), new Dictionary<string, string> { ["classes"] = "cpu" }));
        var id = (await SubmitAsync()).Id;
        await Queue.ClaimAsync(Worker, Cpu, 1, TimeSpan.FromHours(1));

        Clock.Advance(TimeSpan.FromSeconds(11));
        var report = await Queue.RecoverAsync();

        Assert.Equal((1, 1), (report.WorkersRemoved, report.Requeued));
        Assert.Equal(TaskState.Pending, await StateOf(id));
        Assert.False(await Db.KeyExistsAsync($"{Prefix}:proc:{Worker}"));
        Assert.Equal(0, (await Queue.GetCountsAsync()).Workers);
    }

    [Fact]
    public async Task Heartbeat_KeepsTheRegistrationAlive()
    {
        await Queue.RegisterWorkerAsync(new WorkerRegistration(Worker, TimeSpan.FromSeconds(10), new Dictionary<string, string>()));

        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(8));
            await Queue.HeartbeatAsync(Worker, [], Lease, TimeSpan.FromSeconds(10));
            Assert.Equal(0, (await Queue.RecoverAsync()).WorkersRemoved);
        }

        Assert.Equal(1, (await Queue.GetCountsAsync()).Workers);
    }

    [Fact]
    public async Task Release_PutsTheTaskBackInItsPlace_WithoutChargingTheAttempt()
    {
        var first = await Queue.SubmitAsync(new TaskSubmission { Kind = "noop", MaxAttempts = 2 });
        var second = await SubmitAsync();
        var held = await ClaimOneAsync();
        Assert.Equal(first.Id, held.Id);

        Assert.Equal([ReleaseOutcome.Requeued], await Queue.ReleaseAsync([held]));

        var again = await Queue.ClaimAsync("worker-2", Cpu, 2, Lease);
        Assert.Equal([first.Id, second.Id], again.Select(t => t.Id));
        Assert.Equal(2, again[0].Attempt);
        Assert.Equal([ReleaseOutcome.LeaseLost], await Queue.ReleaseAsync([held]));
        Assert.Equal(FailOutcomeKind.RetryScheduled, (await Queue.FailAsync(new TaskFailure(again[0], "one of two"))).Kind);
    }

    [Fact]
    public async Task Deregister_RecoversWhateverTheWorkerStillHeld()
    {
        await Queue.RegisterWorkerAsync(new WorkerRegistration(Worker, TimeSpan.FromMinutes(1), new Dictionary<string, string>()));
        var id = (await SubmitAsync()).Id;
        await ClaimOneAsync();

        Assert.Equal(1, await Queue.DeregisterWorkerAsync(Worker));

        Assert.Equal(TaskState.Pending, await StateOf(id));
        Assert.Equal(0, (await Queue.GetCountsAsync()).Workers);
    }

    [Fact]
    public async Task CompletedTasks_KeepTheirResultForTheRetention_ThenRecoveryDeletesThem()
    {
        var queue = await NewQueueAsync(o => o.CompletedRetention = TimeSpan.FromHours(1));
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
        await queue.CompleteAsync(Assert.Single(await queue.ClaimAsync(Worker, Cpu, 1, Lease)), "r");

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, (await queue.RecoverAsync()).Expired);
        Assert.Equal("r", (await queue.GetAsync(id))!.Result);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await queue.RecoverAsync()).Expired);

        Assert.Null(await queue.GetAsync(id));
        Assert.Equal(1, (await queue.GetCountsAsync()).CompletedTotal);
    }

    [Fact]
    public async Task CompletedTasks_WithNoRetention_AreDeletedAtOnce()
    {
        var queue = await NewQueueAsync(o => o.CompletedRetention = TimeSpan.Zero);
        var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;

        await queue.CompleteAsync(Assert.Single(await queue.ClaimAsync(Worker, Cpu, 1, Lease)), "r");

        Assert.Null(await queue.GetAsync(id));
        Assert.Equal(1, (await queue.GetCountsAsync()).CompletedTotal);
    }

    [Fact]
    public async Task TheRunningTasks_AreListedFromRedis_WithWorkerAttemptClaimTimeAndLease()
    {
        await Queue.SubmitBatchAsync([new TaskSubmission { Kind = "noop" }, new TaskSubmission { Kind = "compare-models" }, new TaskSubmission { Kind = "noop" }]);
        var claimedAt = Clock.GetUtcNow();
        var first = await Queue.ClaimAsync(Worker, Cpu, 2, Lease);
        Clock.Advance(TimeSpan.FromSeconds(7));
        var second = await Queue.ClaimAsync("worker-2", Cpu, 1, TimeSpan.FromMinutes(5));

        var running = await Queue.ListRunningAsync();

        Assert.Equal(3, running.Total);
        Assert.Equal([.. first.Select(t => t.Id), second[0].Id], running.Items.Select(r => r.Id)); // the soonest lease first
        var (a, b, c) = (running.Items[0], running.Items[1], running.Items[2]);
        Assert.Equal(("noop", "cpu", Worker, 1, claimedAt, claimedAt + Lease), (a.Kind, a.Class, a.Worker, a.Attempt, a.ClaimedAt, a.LeaseUntil));
        Assert.Equal("compare-models", b.Kind);
        Assert.Equal(("worker-2", claimedAt.AddSeconds(7)), (c.Worker, c.ClaimedAt));
        Assert.Single((await Queue.ListRunningAsync(1)).Items);
    }
}
