using NflCompute.Queue;

namespace NflCompute.Dashboard;

/// <summary>One look at the queue: counts, each class's oldest waiting task, the live workers.</summary>
/// <param name="At">When it was taken.</param>
/// <param name="Counts">Counts per class and state.</param>
/// <param name="Overview">Oldest waiting per class and the live workers.</param>
public sealed record GridSample(DateTimeOffset At, QueueCounts Counts, QueueOverview Overview)
{
    /// <summary>Seconds from a worker's last heartbeat to this sample: its registration's expiry minus its time to live.</summary>
    public double HeartbeatAgeOf(LiveWorker worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var ttl = long.TryParse(worker.Profile.GetValueOrDefault("ttlMs"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : 0;
        return Math.Max(0, (At - (worker.ExpiresAt - TimeSpan.FromMilliseconds(ttl))).TotalSeconds);
    }
}

/// <summary>
/// Samples the queue on a timer (two round trips a sample, however many browsers or scrapers
/// look) and keeps a bounded history for the depth chart.
/// </summary>
public sealed class GridSampler(TaskQueue queue, DashboardOptions options, TimeProvider? time = null)
{
    private readonly Queue<GridSample> _history = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private GridSample? _latest;

    /// <summary>The newest sample, taken now when there is none yet.</summary>
    public async Task<GridSample> LatestAsync() => _latest ?? await SampleAsync().ConfigureAwait(false);

    /// <summary>The kept samples, oldest first.</summary>
    public IReadOnlyList<GridSample> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Takes a sample and keeps it.</summary>
    public async Task<GridSample> SampleAsync()
    {
        var sample = new GridSample(_time.GetUtcNow(), await queue.GetCountsAsync().ConfigureAwait(false), await queue.GetOverviewAsync().ConfigureAwait(false));
        lock (_history)
        {
            _history.Enqueue(sample);
            while (_history.Count > options.HistoryLength)
            {
                _history.Dequeue();
            }
        }

        _latest = sample;
        return sample;
    }

    /// <summary>Samples every <see cref="DashboardOptions.SampleInterval"/> until stopped; a failed sample (Redis away) is skipped.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.SampleInterval, _time);
        do
        {
            try
            {
                await SampleAsync().ConfigureAwait(false);
            }
            catch (Core.Errors.GridUnavailableException)
            {
                // The next tick tries again; the page shows the last good sample's time.
            }
        }
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }
}
