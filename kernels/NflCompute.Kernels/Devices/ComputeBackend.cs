namespace NflCompute.Kernels.Devices;

/// <summary>
/// One device and the kernels it runs. Every backend implements the same canonical algorithms
/// (see each job's documentation), so the same job gives identical counts and means on every one.
/// Each call checks its cancellation token between chunks of work (of resamples, sets or seasons,
/// at most about a tenth of a second each), so a cancelled task frees the device within a second.
/// </summary>
public abstract class ComputeBackend : IDisposable
{
    /// <summary>The device.</summary>
    public abstract HardwareProfile Profile { get; }

    /// <summary>Monte Carlo sign-flip counts, one entry per model.</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public abstract SignFlipCounts[] CountSignFlips(SignFlipJob job, CancellationToken cancellationToken = default);

    /// <summary>Exact sign-flip counts over all 2^n patterns, one entry per model.</summary>
    public abstract SignFlipCounts[] CountAllSignFlips(ExactSignFlipJob job, CancellationToken cancellationToken = default);

    /// <summary>The B bootstrap means, in resample order.</summary>
    public abstract double[] BootstrapMeans(BootstrapJob job, CancellationToken cancellationToken = default);

    /// <summary>Scores every parameter set of an Elo sweep (Brier, log loss) over its schedule, one work item per set.</summary>
    public abstract Nfl.EloScore[] SweepElo(Nfl.EloSweepJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Simulates the rest of a season <see cref="Nfl.SeasonSimJob.Simulations"/> times with standings
    /// and seeding (<see cref="Nfl.SeasonSimulator"/>'s rules); with fixed ratings every backend gives
    /// the same result.
    /// </summary>
    /// <exception cref="ArgumentException">The job is inconsistent; the message lists every problem.</exception>
    public abstract Nfl.SeasonSimResult SimulateSeasons(Nfl.SeasonSimJob job, CancellationToken cancellationToken = default);

    /// <summary>Releases native resources.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases native resources.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
