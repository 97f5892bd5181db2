namespace NflCompute.Worker.Persistence;

/// <summary>The points of a batch's flush where a fault matters most: the tests stop the servers there.</summary>
internal enum BatchBoundary
{
    /// <summary>The batch is taken and about to be committed to Postgres.</summary>
    BeforeCommit,

    /// <summary>Committed to Postgres; Redis has not yet completed the tasks.</summary>
    AfterCommit,
}
