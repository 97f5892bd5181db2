using Microsoft.Extensions.Configuration;
using NflCompute.Core.Errors;
using NflCompute.Queue;
using NflCompute.Storage;

namespace NflCompute.Cli;

/// <summary>
/// nflc's settings: the same sections and keys as the worker's (Redis, Postgres, Queue), from a
/// JSON file (<c>--config</c>; else ./nflc.json; else the local grid's .local/nflc.json that
/// deploy/local/up.sh writes, found from the current folder up), then <c>NFLC_*</c> environment
/// variables (<c>NFLC_Postgres__Host</c>), then <c>--set Section:Key=value</c> flags, each
/// overriding the one before.
/// </summary>
internal sealed record CliSettings(IConfiguration Configuration, RedisOptions Redis, PostgresOptions Postgres, QueueOptions Queue, RoleOptions Roles)
{
    /// <summary>The settings a client needs: the grid's Redis and queue namespace.</summary>
    public NflCompute.Client.GridClientOptions Client => new()
    {
        Redis = Redis,
        Queue = Queue,
        Limits = Configuration.GetSection("Jobs").Get<NflCompute.Core.Jobs.JobLimits>() ?? new(),
        Submitter = Configuration["Client:Submitter"] ?? NflCompute.Client.GridClientOptions.DefaultSubmitter(),
    };

    public const string DefaultFile = "nflc.json";

    public static CliSettings Load(string? file, IReadOnlyList<string> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new OptionsValidationException([$"--config: the file '{file}' does not exist."]);
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }
        else if (File.Exists(DefaultFile))
        {
            builder.AddJsonFile(Path.GetFullPath(DefaultFile), optional: false);
        }
        else if (Checkout.Find() is { } root && File.Exists(Path.Combine(root, ".local", DefaultFile)))
        {
            builder.AddJsonFile(Path.Combine(root, ".local", DefaultFile), optional: false);
        }

        builder.AddEnvironmentVariables("NFLC_");
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in overrides)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 1)
            {
                throw new OptionsValidationException([$"--set '{pair}': expected Section:Key=value, e.g. --set Postgres:Port=15432."]);
            }

            flags[pair[..equals]] = pair[(equals + 1)..];
        }

        builder.AddInMemoryCollection(flags);
        var configuration = builder.Build();
        var settings = new CliSettings(
            configuration,
            configuration.GetSection("Redis").Get<RedisOptions>() ?? new RedisOptions(),
            configuration.GetSection("Postgres").Get<PostgresOptions>() ?? new PostgresOptions(),
            configuration.GetSection("Queue").Get<QueueOptions>() ?? new QueueOptions(),
            configuration.GetSection("Roles").Get<RoleOptions>() ?? new RoleOptions());
        OptionsValidationException.ThrowIfAny([.. settings.Redis.Validate(), .. settings.Postgres.Validate(), .. settings.Queue.Validate(), .. settings.Roles.Validate()]);
        return settings;
    }
}
