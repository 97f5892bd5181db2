using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NflCompute.Worker.Observability;
using NflCompute.Jobs;
using NflCompute.Kernels.Devices;
using NflCompute.Queue;
using NflCompute.Queue.Redis;
using NflCompute.Storage;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Machines;
using NflCompute.Storage.Migrations;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;

namespace NflCompute.Worker;

/// <summary>
/// The worker process: connects to Redis and Postgres, checks the schema is current (it never
/// migrates), opens the device (explicitly, and
/// says which), and runs the <see cref="WorkerLoop"/> until the host stops it (SIGTERM: finish
/// within the grace period, hand the rest back).
/// </summary>
internal sealed partial class WorkerService(WorkerSettings settings, CustomJobHandlers custom, ILoggerFactory loggers, WorkerMetrics metrics, WorkerRuntime runtime) : BackgroundService
{
    private readonly ILogger _log = loggers.CreateLogger<WorkerService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(settings.Redis.ToString(), settings.Postgres.ToString());
        // A worker started while a server is down (or still starting) waits for it, up to StartupPatience.
        var startup = Resilience.Startup(settings.Worker.StartupPatience, (e, wait) => LogWaiting(wait.TotalSeconds, e.Message.ReplaceLineEndings(" ")));
        var redis = await startup.ExecuteAsync(async _ => await RedisGateway.ConnectAsync(settings.Redis).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
        await using var redisScope = redis.ConfigureAwait(false);
        var postgres = PostgresDataSource.Create(settings.Postgres);
        await using var postgresScope = postgres.ConfigureAwait(false);
        // The schema is the owner's to change (`nflc db migrate`): a worker only checks it is current.
        var newer = await startup.ExecuteAsync(async ct => await new MigrationRunner(postgres).EnsureCurrentAsync(ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
        foreach (var m in newer)
        {
            LogNewerSchema(m.Version, m.Name);
        }

        // The grid-wide settings are the admin step's (`nflc grid configure`): a worker reads them
        // and says where its own configuration disagrees, rather than rewriting them.
        var queue = new TaskQueue(redis, settings.Queue);
        foreach (var difference in await startup.ExecuteAsync(async _ => await queue.ConfigurationDifferencesAsync().ConfigureAwait(false), stoppingToken).ConfigureAwait(false))
        {
            LogSettingDiffers(difference);
        }

        (runtime.Queue, runtime.Database) = (queue, postgres);

        using var device = OpenDevice(settings.Worker.Device);
        runtime.Device = device.Profile;
        var loop = new WorkerLoop(
            queue,
            new ResultStore(postgres, queue.Options.Namespace),
            new TaskHistory(postgres, queue.Options.Namespace),
            new MachineRegistry(postgres),
            JobHandlers.Create(postgres, queue, custom.Handlers),
            new DatasetCache(new DatasetResolver(new DatasetStore(postgres), queue)),
            device,
            settings.Worker,
            loggers.CreateLogger<WorkerLoop>(),
            metrics,
            limits: settings.Jobs);
        await loop.RunAsync(stoppingToken).ConfigureAwait(false);
        LogStopped(settings.Worker.WorkerId);
    }

    // "auto" prefers a CUDA device, then an OpenCL GPU, then the SIMD CPU backend, and says why;
    // an explicit id must exist.
    private ComputeBackend OpenDevice(string requested)
    {
        var devices = DeviceCatalog.Discover();
        var (entry, reason) = string.Equals(requested, "auto", StringComparison.OrdinalIgnoreCase)
            ? DeviceCatalog.ChooseAuto(devices)
            : (DeviceCatalog.Find(devices, requested), "asked for by id");
        var device = entry.Open();
        LogDevice(requested, entry.Id, reason, device.Profile.ToString());
        return device;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker starting: {Redis}, {Postgres}")]
    private partial void LogStarting(string redis, string postgres);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device chosen ({Requested}): {DeviceId}, {Reason}: {Device}")]
    private partial void LogDevice(string requested, string deviceId, string reason, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migration {Version:D4}_{Name}, which this worker's build does not know: a newer build migrated it; upgrade this worker")]
    private partial void LogNewerSchema(int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This worker's Queue settings differ from the grid's, which apply ({Difference}); run `nflc grid configure` to change the grid's")]
    private partial void LogSettingDiffers(string difference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting {Seconds:F1} s for a server at start: {Reason}")]
    private partial void LogWaiting(double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} stopped")]
    private partial void LogStopped(string workerId);
}
