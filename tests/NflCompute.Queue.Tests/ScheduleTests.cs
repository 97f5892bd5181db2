using NflCompute.Core;

namespace NflCompute.Queue.Tests;

/// <summary>Recurring schedules: one task per tick however many schedulers run, missed ticks by policy, cron in a time zone.</summary>
public sealed class ScheduleTests(RedisServer redis) : QueueTestBase(redis)
{
    private static ScheduleDefinition EverySecond(string name, MissedTicks missed = MissedTicks.RunOnce) =>
        new() { Name = name, Every = TimeSpan.FromSeconds(1), Kind = "noop", Missed = missed };

    [Fact]
    public async Task ThreeSchedulers_OneSecondTicksForSixtySeconds_SubmitExactlySixtyTasks_NoneTwice_NoneMissed()
    {
        await Queue.PutScheduleAsync(EverySecond("heartbeat"));
        var first = (await Queue.GetScheduleAsync("heartbeat"))!.NextTick!.Value;
        var created = 0;
        for (var second = 0; second < 60; second++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var passes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Queue.RunDueSchedulesAsync()));
            created += passes.Sum();
        }

        var state = (await Queue.GetScheduleAsync("heartbeat"))!;
        var claimed = await Queue.ClaimAsync(Worker, Cpu, 100, Lease);
        Assert.Equal(60, created);
        Assert.Equal(60, claimed.Count);
        Assert.Equal(60, (await Task.WhenAll(claimed.Select(t => Queue.GetAsync(t.Id)))).Select(t => t!.CorrelationId).Count(c => c == "schedule:heartbeat"));
        Assert.Equal(first.AddSeconds(59), state.LastTick);
        Assert.Equal(first.AddSeconds(60), state.NextTick);
    }

    [Theory]
    [InlineData(MissedTicks.RunAll, 10)]
    [InlineData(MissedTicks.RunOnce, 1)]
    public async Task AfterAnOutage_MissedTicksRunAsTheScheduleSays(MissedTicks missed, int expected)
    {
        await Queue.PutScheduleAsync(EverySecond("after-outage", missed));
        Clock.Advance(TimeSpan.FromSeconds(10.5)); // nobody ran a pass for ten ticks

        Assert.Equal(expected, await Queue.RunDueSchedulesAsync());
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Queue.RunDueSchedulesAsync()); // then on time again
    }

    [Fact]
    public async Task Skip_DropsTicksSeenTooLate_AndRunsTheNextOnTime()
    {
        await Queue.PutScheduleAsync(new ScheduleDefinition { Name = "skipper", Every = TimeSpan.FromMinutes(1), Kind = "noop", Missed = MissedTicks.Skip });
        var first = (await Queue.GetScheduleAsync("skipper"))!.NextTick!.Value;
        Clock.Advance(first - Clock.GetUtcNow() + TimeSpan.FromSeconds((4 * 60) + 45)); // five ticks passed, the latest 45 s ago: past the grace

        Assert.Equal(0, await Queue.RunDueSchedulesAsync());
        Clock.Advance(TimeSpan.FromSeconds(15)); // the next tick, on time
        Assert.Equal(1, await Queue.RunDueSchedulesAsync());
    }

    [Fact]
    public async Task PausedSchedulesFireNothing_ResumedOnesGoOnFromNow_TriggerSubmitsAtOnce_RemovedOnesAreGone()
    {
        await Queue.PutScheduleAsync(EverySecond("nightly"));
        await Queue.PauseScheduleAsync("nightly");
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await Queue.RunDueSchedulesAsync());
        Assert.True((await Queue.GetScheduleAsync("nightly"))!.Paused);

        await Queue.ResumeScheduleAsync("nightly");
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Queue.RunDueSchedulesAsync()); // not the five paused ticks
        var triggered = await Queue.TriggerScheduleAsync("nightly");
        Assert.Equal("schedule:nightly", (await Queue.GetAsync(triggered))!.CorrelationId);

        await Queue.RemoveScheduleAsync("nightly");
        Assert.Empty(await Queue.ListSchedulesAsync());
        await Assert.ThrowsAsync<Core.Errors.TaskNotFoundException>(() => Queue.PauseScheduleAsync("nightly"));
    }

    [Fact]
    public void ACronSchedule_TicksInItsTimeZone_AcrossDaylightSaving()
    {
        var threeAm = new ScheduleDefinition { Name = "nightly", Cron = "0 3 * * *", TimeZone = "America/New_York", Kind = "noop" };

        // 03:00 in New York is 08:00 UTC in winter (EST) and 07:00 UTC in summer (EDT).
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 8, 0, 0, TimeSpan.Zero), threeAm.NextAfter(new DateTimeOffset(2026, 1, 14, 12, 0, 0, TimeSpan.Zero)).ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 7, 15, 7, 0, 0, TimeSpan.Zero), threeAm.NextAfter(new DateTimeOffset(2026, 7, 14, 12, 0, 0, TimeSpan.Zero)).ToUniversalTime());
        Assert.Empty(threeAm.Problems());
    }

    [Theory]
    [InlineData("bad name!", "0 3 * * *", null, "UTC", "schedule name")]
    [InlineData("ok", "not cron", null, "UTC", "is not a cron expression")]
    [InlineData("ok", null, null, "UTC", "exactly one of Cron and Every")]
    [InlineData("ok", "0 3 * * *", null, "Mars/Olympus", "is not a time zone")]
    [InlineData("ok", null, 0.5, "UTC", "at least 1 s")]
    public async Task ABadDefinition_IsRefused_NamingWhatIsWrong(string name, string? cron, double? everySeconds, string zone, string expected)
    {
        var definition = new ScheduleDefinition { Name = name, Cron = cron, Every = everySeconds is { } s ? TimeSpan.FromSeconds(s) : null, TimeZone = zone, Kind = "noop" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Queue.PutScheduleAsync(definition));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChainedSchedule_SubmitsItsStepsPerTick_EachWaitingForTheOneBefore_OnceHoweverManyRun()
    {
        await Queue.PutScheduleAsync(EverySecond("nightly") with { Kind = "load-games", Then = [new ScheduleStep("elo-ratings"), new ScheduleStep("regression-check", "{}")] });
        Clock.Advance(TimeSpan.FromSeconds(1));
        var (first, second) = (await Queue.RunDueSchedulesAsync(), await Queue.RunDueSchedulesAsync());
        Assert.Equal((3, 0), (first, second));

        var ran = new List<string>();
        for (var step = 0; step < 3; step++)
        {
            var task = Assert.Single(await Queue.ClaimAsync(Worker, Cpu, 10, Lease));
            ran.Add(task.Kind);
            if (step > 0)
            {
                Assert.Single((await Queue.GetAsync(task.Id))!.Parents);
            }

            await Queue.CompleteAsync(task, "");
        }

        Assert.Equal(["load-games", "elo-ratings", "regression-check"], ran);
        var end = await Queue.TriggerScheduleAsync("nightly");
        Assert.Equal(("regression-check", TaskState.Waiting), ((await Queue.GetAsync(end))!.Kind, await StateOf(end)));
        Assert.Contains(new ScheduleDefinition { Name = "x", Every = TimeSpan.FromSeconds(1), Kind = "noop", Then = [new ScheduleStep("")] }.Problems(), p => p.Contains("Then[0]", StringComparison.Ordinal));
    }
}
