namespace NflCompute.Queue.Scripts;

/// <summary>
/// The task hash's fields, by name: the C# side of common.lua's <c>F</c> table (a test checks the
/// two agree, name for name). The short names keep a waiting task under 200 bytes of Redis memory;
/// code uses these names. See common.lua for what each holds.
/// </summary>
internal static class TaskFields
{
    public const string Body = "b";
    public const string Class = "c";
    public const string Priority = "pr";
    public const string Submitted = "s";
    public const string Submitter = "u";
    public const string Eligible = "e";
    public const string State = "st";
    public const string Attempts = "a";
    public const string Uncharged = "ab";
    public const string Token = "tk";
    public const string Stalls = "n";
    public const string Worker = "wk";
    public const string Error = "err";
    public const string Result = "r";
    public const string Parents = "pa";
    public const string WaitingOn = "np";
    public const string OnParentFailure = "of";
    public const string FailedParents = "pf";
    public const string MaxAttempts = "ma";
    public const string Backoff = "bo";
    public const string CancelRequested = "cx";
    public const string Finished = "fa";
    public const string Claimed = "ca";
    public const string LastSpan = "ls";
    public const string Progress = "pg";

    /// <summary>Not a hash field: status.lua's reply adds the submitter's name under this key (the hash holds its number).</summary>
    public const string SubmitterName = "_u";
}
