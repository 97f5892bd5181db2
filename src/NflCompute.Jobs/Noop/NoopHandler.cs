namespace NflCompute.Jobs.Noop;

/// <summary><c>noop</c>: does nothing and returns <c>{}</c>; it measures the grid's own overhead (claim, persist, complete).</summary>
public sealed class NoopHandler : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = Core.Jobs.JobKinds.Noop;

    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public Task<string> RunAsync(JobContext context) => Task.FromResult("{}");
}
