namespace NflCompute.Jobs;

/// <summary>Runs the tasks of one kind.</summary>
public interface IJobHandler
{
    /// <summary>The task kind this handler runs, e.g. <c>compare-models</c>.</summary>
    string Kind { get; }

    /// <summary>Runs one task and returns its result as JSON.</summary>
    /// <exception cref="JobInputException">The payload cannot be run; retrying cannot help.</exception>
    Task<string> RunAsync(JobContext context);
}
