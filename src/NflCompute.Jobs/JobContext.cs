using NflCompute.Kernels.Devices;
using NflCompute.Queue;

namespace NflCompute.Jobs;

/// <summary>What a handler gets: the task, the device chosen for it, the datasets, and cancellation.</summary>
/// <param name="Task">The claimed task (kind, payload, attempt, correlation id).</param>
/// <param name="Device">The device this worker runs kernels on.</param>
/// <param name="Datasets">Where the task's big inputs are.</param>
/// <param name="CancellationToken">Signalled when the task is cancelled or the worker stops.</param>
public sealed record JobContext(ClaimedTask Task, ComputeBackend Device, DatasetCache Datasets, CancellationToken CancellationToken)
{
    /// <summary>The bounds on the work a task may ask for, from the worker's settings (section Jobs).</summary>
    public Core.Jobs.JobLimits Limits { get; init; } = new();

    /// <summary>Where the job counts what it found (none outside a worker).</summary>
    public IJobMetrics? Metrics { get; init; }
}
