namespace NflCompute.Kernels.Devices;

/// <summary>How many resampled statistics were at least as extreme as the observed one, per direction.</summary>
/// <param name="GreaterOrEqual">T* &gt;= T - tolerance.</param>
/// <param name="LessOrEqual">T* &lt;= T + tolerance.</param>
/// <param name="AbsGreaterOrEqual">|T*| &gt;= |T| - tolerance.</param>
public readonly record struct SignFlipCounts(long GreaterOrEqual, long LessOrEqual, long AbsGreaterOrEqual);
