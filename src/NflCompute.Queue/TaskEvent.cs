using NflCompute.Core;

namespace NflCompute.Queue;

/// <summary>Tasks that reached a final state together, as announced on the grid's events channel.</summary>
/// <param name="State">Completed, Failed or Cancelled.</param>
/// <param name="TaskIds">The tasks.</param>
public sealed record TaskEvent(TaskState State, IReadOnlyList<string> TaskIds);
