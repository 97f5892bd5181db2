using NflCompute.Core.Jobs;

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
}
