using NflCompute.Core.Jobs;
using NflCompute.Jobs.Noop;

namespace NflCompute.Jobs.Tests;

/// <summary>Adding a job kind fails loudly when half done.</summary>
public sealed class JobKindTests
{
    [Fact]
    public void EveryKind_HasExactlyOneHandler_AndEveryHandlerAKind()
    {
        var handlerKinds = typeof(IJobHandler).Assembly.GetTypes()
            .Where(t => typeof(IJobHandler).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (string)t.GetField("TaskKind")!.GetValue(null)!)
            .ToList();

        Assert.Equal(handlerKinds.Distinct().Count(), handlerKinds.Count);
        Assert.Equal(JobKinds.Specs.Keys.Order(StringComparer.Ordinal), handlerKinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AWorkerWithAHandlerMissing_RefusesToStart_NamingTheKind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => JobHandlers.Complete(new JobRegistry([new NoopHandler()])));

        Assert.Contains("no handler for compare-models", error.Message, StringComparison.Ordinal);
        Assert.Contains("register it in JobHandlers.Create", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHandlerOfAnUnknownKind_IsRefused_UnlessPassedAsCustom()
    {
        var registry = new JobRegistry([.. JobKinds.Specs.Keys.Select(k => new StubHandler(k)), new StubHandler("pythagorean-wins")]);

        Assert.Same(registry, JobHandlers.Complete(registry, ["pythagorean-wins"]));
        var error = Assert.Throws<InvalidOperationException>(() => JobHandlers.Complete(registry));
        Assert.Contains("no spec for pythagorean-wins", error.Message, StringComparison.Ordinal);
    }

    private sealed class StubHandler(string kind) : IJobHandler
    {
        public string Kind => kind;

        public Task<string> RunAsync(JobContext context) => Task.FromResult("{}");
    }
}
