namespace NflCompute.Storage.Games;

/// <summary>A row load-games refused: where it was, which column, why, and the line as it was.</summary>
/// <param name="Line">1-based line number in the file (the header is line 1).</param>
/// <param name="Column">The column at fault, or null for the whole row.</param>
/// <param name="Reason">What is wrong, readable.</param>
/// <param name="Raw">The line as read.</param>
public sealed record QuarantinedRow(int Line, string? Column, string Reason, string Raw);
