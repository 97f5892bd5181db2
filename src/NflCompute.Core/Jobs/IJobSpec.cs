namespace NflCompute.Core.Jobs;

/// <summary>A typed job: its kind names the handler; the rest is its payload as JSON (<see cref="JobJson"/>).</summary>
public interface IJobSpec
{
    /// <summary>The task kind, e.g. <c>compare-models</c>.</summary>
    string Kind { get; }
}
