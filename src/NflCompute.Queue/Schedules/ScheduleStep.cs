namespace NflCompute.Queue;

/// <summary>A job a schedule's tick submits after its first, waiting for the step before it (<see cref="ScheduleDefinition.Then"/>).</summary>
/// <param name="Kind">The job kind.</param>
/// <param name="Payload">Its payload (JSON); a dataset the step before made is <c>parent:NAME</c>.</param>
/// <param name="Class">Its hardware class.</param>
/// <param name="Priority">Its priority.</param>
public sealed record ScheduleStep(string Kind, string Payload = "", string Class = "cpu", int Priority = 0);
