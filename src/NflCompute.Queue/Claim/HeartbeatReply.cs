namespace NflCompute.Queue;

/// <summary>What a heartbeat learned about the tasks the worker holds.</summary>
/// <param name="CancelRequested">Tasks to stop; release them (they end cancelled).</param>
/// <param name="Lost">Tasks the worker no longer holds (lease expired and recovered): drop them without reporting.</param>
public sealed record HeartbeatReply(IReadOnlyList<string> CancelRequested, IReadOnlyList<string> Lost);
