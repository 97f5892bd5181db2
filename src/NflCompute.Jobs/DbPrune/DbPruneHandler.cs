using NflCompute.Core.Jobs;
using NflCompute.Storage.Tasks;

namespace NflCompute.Jobs.DbPrune;

/// <summary>
/// <c>db-prune</c>: the built-in schedule's job. Deletes the grid's task history that ended longer
/// ago than the retention the owner set (<c>nflc db prune --keep</c>), through a function that reads
/// the retention itself, so the worker running it can delete nothing newer; with no retention set
/// it deletes nothing.
/// </summary>
public sealed class DbPruneHandler(HistoryPruner pruner) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.DbPrune;

    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var retention = await pruner.GetRetentionAsync(context.CancellationToken).ConfigureAwait(false);
        var report = await pruner.PruneByRetentionAsync(context.CancellationToken).ConfigureAwait(false);
        return JobJson.Serialize(new { keepDays = retention?.Keep.TotalDays, withResults = retention?.WithResults, report.Tasks, report.Attempts, report.Results, report.AuditRows });
    }
}
