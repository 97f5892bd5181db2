namespace NflCompute.Jobs;

/// <summary>The durable result of a task that a job depended on.</summary>
/// <param name="Id">The parent's task id.</param>
/// <param name="Json">Its result, as the parent's job returned it.</param>
public sealed record ParentResult(string Id, string Json);
