namespace NflCompute.Worker.Tests;

/// <summary>Waits on a condition with a deadline, never on a fixed sleep.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms; throws when <paramref name="timeout"/> passes first.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
