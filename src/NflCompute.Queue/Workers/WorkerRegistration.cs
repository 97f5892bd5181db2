namespace NflCompute.Queue;

/// <summary>A worker's entry in the grid.</summary>
/// <param name="WorkerId">Unique per process, e.g. host-pid-random.</param>
/// <param name="Ttl">The registration lapses this long after the last heartbeat; its tasks are then recovered.</param>
/// <param name="Profile">Hardware and software facts to show (classes, devices, memory, ...).</param>
public sealed record WorkerRegistration(string WorkerId, TimeSpan Ttl, IReadOnlyDictionary<string, string> Profile);
