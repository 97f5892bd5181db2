using Microsoft.Extensions.Configuration;
using NflCompute.Core.Errors;
using NflCompute.Queue;
using NflCompute.Storage;

namespace NflCompute.Worker;

/// <summary>Every setting of a worker process, bound from configuration and validated together.</summary>
/// <param name="Redis">Section Redis.</param>
/// <param name="Postgres">Section Postgres.</param>
/// <param name="Queue">Section Queue.</param>
/// <param name="Worker">Section Worker.</param>
/// <param name="Jobs">Section Jobs: the bounds on what one task may ask for.</param>
public sealed record WorkerSettings(RedisOptions Redis, PostgresOptions Postgres, QueueOptions Queue, WorkerOptions Worker, Core.Jobs.JobLimits Jobs)
{
    /// <summary>Binds the four sections and validates them; every problem is listed in one error.</summary>
    /// <exception cref="OptionsValidationException">A setting cannot work.</exception>
    public static WorkerSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new WorkerSettings(
            configuration.GetSection("Redis").Get<RedisOptions>() ?? new RedisOptions(),
            configuration.GetSection("Postgres").Get<PostgresOptions>() ?? new PostgresOptions(),
            configuration.GetSection("Queue").Get<QueueOptions>() ?? new QueueOptions(),
            configuration.GetSection("Worker").Get<WorkerOptions>() ?? new WorkerOptions(),
            configuration.GetSection("Jobs").Get<Core.Jobs.JobLimits>() ?? new Core.Jobs.JobLimits());
        OptionsValidationException.ThrowIfAny([.. settings.Redis.Validate(), .. settings.Postgres.Validate(), .. settings.Queue.Validate(), .. settings.Worker.Validate(), .. settings.Jobs.Validate()]);
        return settings;
    }
}
