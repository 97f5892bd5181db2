using NflCompute.Core.Errors;
using NflCompute.Core.Jobs;
using NflCompute.Queue;

namespace NflCompute.Client;

/// <summary>How a client reaches its grid. Bind from configuration sections Redis and Queue (NFLC_Redis__*, NFLC_Queue__*).</summary>
public sealed class GridClientOptions
{
    /// <summary>The grid's Redis.</summary>
    public RedisOptions Redis { get; set; } = new();

    /// <summary>The grid's queue settings; the namespace must match the workers'.</summary>
    public QueueOptions Queue { get; set; } = new();

    /// <summary>How long an uploaded dataset waits in Redis for a worker to move it to Postgres. Default 1 day.</summary>
    public TimeSpan DatasetTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The bounds on what one job may ask for, checked before submitting (section Jobs; the workers check their own too).</summary>
    public JobLimits Limits { get; set; } = new();

    /// <summary>How often a wait checks the task when no event arrives. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws naming every bad setting.</summary>
    /// <exception cref="OptionsValidationException">A setting cannot work.</exception>
    public void Validate()
    {
        var problems = new List<string>([.. Redis.Validate(), .. Queue.Validate(), .. Limits.Validate()]);
        if (DatasetTtl < TimeSpan.FromMinutes(1))
        {
            problems.Add($"GridClientOptions.DatasetTtl is {DatasetTtl}; it must be at least a minute.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            problems.Add($"GridClientOptions.PollInterval is {PollInterval}; it must be positive.");
        }

        OptionsValidationException.ThrowIfAny(problems);
    }
}
