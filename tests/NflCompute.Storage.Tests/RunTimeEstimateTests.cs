using NflCompute.Storage.Tasks;

namespace NflCompute.Storage.Tests;

/// <summary>Expected ends from the kind's history: running ones by their device's median, pending ones behind the tasks ahead.</summary>
public sealed class RunTimeEstimateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly RunTimeEstimates _estimates = new(
    [
        new DurationEstimate("season-sim", "cuda:0", 40, MeanSeconds: 2, P50Seconds: 1.5, P90Seconds: 3, P99Seconds: 4),
        new DurationEstimate("season-sim", "cpu", 10, MeanSeconds: 12, P50Seconds: 10, P90Seconds: 15, P99Seconds: 20),
    ]);

    [Fact]
    public void ARunningTask_EndsAtItsStartPlusItsDevicesMedian_OrTheKindsSlowestWhereTheDeviceIsNew()
    {
        Assert.Equal(Now.AddSeconds(1.5), _estimates.RunningUntil("season-sim", "cuda:0", Now));
        Assert.Equal(Now.AddSeconds(10), _estimates.RunningUntil("season-sim", "opencl:1", Now));
        Assert.Null(_estimates.RunningUntil("elo-sweep", "cpu", Now));
    }

    [Fact]
    public void APendingTask_WaitsForTheTasksAheadAcrossTheClasssSlots_ThenRunsItsMedian()
    {
        // 8 ahead, each the kind's mean over devices (7 s), over 4 slots: 14 s; then the slowest median, 10 s.
        Assert.Equal(Now.AddSeconds(24), _estimates.PendingUntil("season-sim", ahead: 8, slots: 4, Now));
        Assert.Equal(Now.AddSeconds(10), _estimates.PendingUntil("season-sim", ahead: 0, slots: 0, Now));
        Assert.Null(_estimates.PendingUntil("noop", 3, 2, Now));
    }
}
