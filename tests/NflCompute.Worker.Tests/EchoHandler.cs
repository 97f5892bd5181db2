using NflCompute.Jobs;
using NflCompute.Jobs.Noop;

namespace NflCompute.Worker.Tests;

/// <summary>A no-op whose result is its payload, so a stored result shows which task wrote it.</summary>
internal sealed class EchoHandler : IJobHandler
{
    public string Kind => NoopHandler.TaskKind;

    public Task<string> RunAsync(JobContext context) => Task.FromResult(context.Task.Payload);
}
