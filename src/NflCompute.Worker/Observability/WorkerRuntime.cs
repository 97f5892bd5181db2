using NflCompute.Kernels.Devices;
using NflCompute.Queue;
using Npgsql;

namespace NflCompute.Worker.Observability;

/// <summary>What /health checks, filled in by the worker once it has connected and chosen its device.</summary>
public sealed class WorkerRuntime
{
    /// <summary>The queue, once connected.</summary>
    public TaskQueue? Queue { get; set; }

    /// <summary>The database, once connected.</summary>
    public NpgsqlDataSource? Database { get; set; }

    /// <summary>The device in use.</summary>
    public HardwareProfile? Device { get; set; }

    /// <summary>Checks Redis, Postgres and the device; healthy only when all three answer.</summary>
    public async Task<(bool Healthy, object Report)> CheckAsync(CancellationToken cancellationToken)
    {
        var redis = await Probe(async () => { _ = await (Queue ?? throw new InvalidOperationException("not connected yet")).GetCountsAsync().ConfigureAwait(false); }).ConfigureAwait(false);
        var postgres = await Probe(async () =>
        {
            var command = (Database ?? throw new InvalidOperationException("not connected yet")).CreateCommand("SELECT 1");
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        var device = Device?.ToString() ?? "not chosen yet";
        var healthy = redis == "ok" && postgres == "ok" && Device is not null;
        return (healthy, new { status = healthy ? "healthy" : "unhealthy", redis, postgres, device });
    }

    private static async Task<string> Probe(Func<Task> check)
    {
        try
        {
            await check().WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            return "ok";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e.Message;
        }
    }
}
