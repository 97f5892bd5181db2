using NflCompute.Jobs;
using NflCompute.Kernels.Cpu;
using NflCompute.Queue;
using NflCompute.Storage.Datasets;
using NflCompute.Storage.Machines;
using NflCompute.Storage.Results;
using NflCompute.Storage.Tasks;
using Npgsql;

namespace NflCompute.Worker.Tests;

/// <summary>A worker with every job handler on the CPU, in the test's process, over the test's queue and database.</summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private InProcessWorker(WorkerLoop loop) => _run = Task.Run(() => loop.RunAsync(_stop.Token));

    public static InProcessWorker Start(TaskQueue queue, NpgsqlDataSource db, string workerId, JobRegistry? handlers = null) =>
        new(new WorkerLoop(
            queue, new ResultStore(db, queue.Options.Namespace), new TaskHistory(db, queue.Options.Namespace), new MachineRegistry(db), handlers ?? JobHandlers.Create(db, queue),
            new DatasetCache(new DatasetResolver(new DatasetStore(db), queue)), new CpuSimdBackend(),
            new WorkerOptions { WorkerId = workerId, Classes = ["cpu"], HeartbeatInterval = TimeSpan.FromSeconds(1) }));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
