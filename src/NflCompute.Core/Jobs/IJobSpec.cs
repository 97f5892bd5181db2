namespace NflCompute.Core.Jobs;

/// <summary>A typed job: its kind names the handler; the rest is its payload as JSON (<see cref="JobJson"/>).</summary>
public interface IJobSpec
{
    /// <summary>The task kind, e.g. <c>compare-models</c>.</summary>
    string Kind { get; }

    /// <summary>What in the spec exceeds <paramref name="limits"/>, each problem naming its field; empty when nothing does.</summary>
    IEnumerable<string> Problems(JobLimits limits) => [];
}
