namespace NflCompute.Core;

/// <summary>What the exit status of nflc and of nflc-worker means, so scripts and supervisors can branch on it.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found a problem (a failed task, a changed migration).</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 2;

    /// <summary>The configuration is invalid.</summary>
    public const int BadConfiguration = 3;

    /// <summary>Redis or Postgres cannot be reached (a worker: not within Worker:StartupPatience).</summary>
    public const int Unavailable = 4;

    /// <summary>The task, dataset or entry asked for does not exist.</summary>
    public const int NotFound = 5;

    /// <summary>Waiting ran past its timeout.</summary>
    public const int TimedOut = 6;
}
