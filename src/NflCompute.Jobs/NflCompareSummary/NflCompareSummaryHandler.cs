using System.Text.Json;
using NflCompute.Core.Jobs;
using NflCompute.Core.Statistics;
using NflCompute.Jobs.NflCompare;
using NflCompute.Kernels.Statistics;
using NflCompute.Storage.Models;
using NflCompute.Storage.Results;

namespace NflCompute.Jobs.NflCompareSummary;

/// <summary>
/// <c>nfl-compare-summary</c>: gathers a batch of single-season <c>nfl-compare</c> tasks (its
/// parents, done before it runs) and corrects each model's p-values across the seasons with Holm;
/// the adjusted p-values land in model_metrics as <c>brier-holm-p</c> and <c>log-loss-holm-p</c>.
/// </summary>
public sealed class NflCompareSummaryHandler(ResultStore results, ModelStore models) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.NflCompareSummary;


    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobPayload.Parse<NflCompareSummarySpec>(context, TaskKind);
        var seasons = new List<(int Season, JsonElement Result)>();
        var pooled = new List<JsonElement>();
        foreach (var id in payload.Tasks)
        {
            var stored = await results.ReadAsync(id, context.CancellationToken).ConfigureAwait(false)
                ?? throw new JobInputException($"payload.tasks names {id}, which has no result; make it a dependency of this task.");
            var result = JsonDocument.Parse(stored.ResultJson).RootElement;
            var (from, to) = (result.GetProperty("fromSeason").GetInt32(), result.GetProperty("toSeason").GetInt32());
            if (from == to)
            {
                seasons.Add((from, result));
            }
            else
            {
                pooled.Add(result);
            }
        }

        seasons.Sort((a, b) => a.Season.CompareTo(b.Season));
        var rows = new List<ModelMetricRow>();
        var table = new List<object>();
        foreach (var rule in new[] { "brier", "log-loss" })
        {
            foreach (var model in new[] { "elo", "market" })
            {
                var entries = seasons.Select(s => (s.Season, Entry: s.Result.GetProperty("rules").GetProperty(rule).EnumerateArray().First(e => e.GetProperty("model").GetString() == model))).ToList();
                var adjusted = MultipleComparisons.Adjust([.. entries.Select(e => e.Entry.GetProperty("pTwoSided").GetDouble())], Adjustment.Holm);
                for (var i = 0; i < entries.Count; i++)
                {
                    var (season, entry) = entries[i];
                    rows.Add(new ModelMetricRow(model, NflCompareHandler.Forecasts.First(f => f.Model == model).Version, rule + "-holm-p", adjusted[i], 0, season, null));
                    table.Add(new { rule, model, season, meanLoss = entry.GetProperty("meanLoss").GetDouble(), improvement = entry.GetProperty("improvement").GetDouble(), pTwoSided = entry.GetProperty("pTwoSided").GetDouble(), holmAcrossSeasons = adjusted[i] });
                }
            }
        }

        await models.WriteMetricsAsync(context.Task.Id, rows, context.CancellationToken).ConfigureAwait(false);
        return JobJson.Serialize(new { seasons = seasons.Count, pooled = pooled.Select(p => p.GetProperty("rules")), bySeason = table });
    }
}
