using System.Diagnostics;

namespace NflCompute.Queue.Tests;

/// <summary>Waiting on a condition the test's own background work makes true, with a deadline.</summary>
public static class Polling
{
    /// <summary>Polls every 20 ms; fails the test with <paramref name="why"/> (or the timeout) when <paramref name="timeout"/> passes first.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string>? why = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, why?.Invoke() ?? $"not within {timeout}");
            await Task.Delay(20);
        }
    }
}
