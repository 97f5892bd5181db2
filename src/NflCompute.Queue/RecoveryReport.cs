namespace NflCompute.Queue;

/// <summary>What one recovery pass did.</summary>
/// <param name="WorkersRemoved">Workers whose registration had lapsed.</param>
/// <param name="Requeued">Stalled tasks returned to pending.</param>
/// <param name="Failed">Stalled tasks past the stall limit, sent to the DLQ.</param>
/// <param name="Cancelled">Stalled tasks whose cancellation had been requested.</param>
/// <param name="Promoted">Delayed tasks that became due.</param>
/// <param name="Expired">Completed tasks deleted at the end of their retention, or beyond the most kept.</param>
/// <param name="DeadLettersExpired">Dead letters deleted at the end of their retention.</param>
public sealed record RecoveryReport(int WorkersRemoved, int Requeued, int Failed, int Cancelled, int Promoted, int Expired = 0, int DeadLettersExpired = 0);
