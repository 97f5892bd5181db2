namespace NflCompute.Queue;

/// <summary>The codes every script returns: the one table, mirrored from the top of lua/common.lua (OptionsTests checks they agree). 9 (a duplicate, never returned) is retired.</summary>
internal enum ResultCode
{
    Ok = 0,
    NotFound = 1,
    StaleLease = 2,
    WrongState = 3,
    UnknownClass = 4,
    PayloadTooLarge = 5,
    BadArgument = 6,
    ParentNotFound = 7,
    NotConfigured = 8,
    RetryScheduled = 10,
    Cancelled = 11,
    Failed = 12,
    CancelRequested = 13,
}
