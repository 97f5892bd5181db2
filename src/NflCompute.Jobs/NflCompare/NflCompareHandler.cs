using NflCompute.Core.Jobs;
using NflCompute.Core.Statistics;
using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Nfl;
using NflCompute.Kernels.Statistics;
using NflCompute.Storage.Games;
using NflCompute.Storage.Models;

namespace NflCompute.Jobs.NflCompare;

/// <summary>
/// <c>nfl-compare</c>: classic Elo and the de-vigged market against a home-rate baseline on the
/// real games of a range of seasons (one season, or several pooled): games played, not tied, with
/// both moneylines. For Brier and log loss: mean losses, permutation p-values, BCa intervals, Holm
/// across the two models, on the worker's device. The figures land in model_metrics. A batch of
/// these (one per season plus the pool) is summarised by <see cref="NflCompareSummary.NflCompareSummaryHandler"/>.
/// </summary>
public sealed class NflCompareHandler(GameStore games, ModelStore models) : IJobHandler
{
    /// <summary>The task kind.</summary>
    public const string TaskKind = JobKinds.NflCompare;

    /// <summary>The three forecasts and their versions as recorded in model_metrics.</summary>
    public static readonly IReadOnlyList<(string Model, string Version)> Forecasts = [("elo", "538-classic"), ("market", "de-vigged-moneyline"), ("home-rate", "prior-seasons")];


    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <summary>The aligned forecasts of the games a payload covers: outcomes, Elo, market, home rate.</summary>
    public static (double[] Outcomes, double[] Elo, double[] Market, double[] HomeRate) Forecast(IReadOnlyList<GameRow> ordered, int fromSeason, int toSeason)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var elo = EloEngine.Run(EloInputs.Build(ordered).Schedule, EloParameters.Classic);
        var (y, e, m, h) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());

        // Home wins among decided games: of the seasons before the current one, and of the current one so far.
        var (priorWins, priorDecided, seasonWins, seasonDecided, season) = (0, 0, 0, 0, int.MinValue);
        for (var g = 0; g < ordered.Count; g++)
        {
            var game = ordered[g];
            if (game.Season != season)
            {
                (priorWins, priorDecided, seasonWins, seasonDecided, season) = (priorWins + seasonWins, priorDecided + seasonDecided, 0, 0, game.Season);
            }

            if (!game.Played || game.HomeScore == game.AwayScore)
            {
                continue;
            }

            seasonDecided++;
            seasonWins += game.HomeScore > game.AwayScore ? 1 : 0;
            if (game.Season < fromSeason || game.Season > toSeason || game.HomeMoneyline is not { } home || game.AwayMoneyline is not { } away)
            {
                continue;
            }

            var rate = (double)priorWins / priorDecided;
            y.Add(game.HomeScore > game.AwayScore ? 1 : 0);
            e.Add(elo[g].HomeWinProbability);
            m.Add(Implied(home) / (Implied(home) + Implied(away)));
            h.Add(rate);
        }

        return ([.. y], [.. e], [.. m], [.. h]);
    }

    // The bookmaker's implied probability of a moneyline, margin included.
    private static double Implied(int moneyline) => moneyline > 0 ? 100.0 / (moneyline + 100) : -moneyline / (-moneyline + 100.0);

    /// <inheritdoc />
    public async Task<string> RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobPayload.Parse<NflCompareSpec>(context, TaskKind);
        var toSeason = payload.ToSeason ?? payload.FromSeason;
        if (payload.FromSeason < 2000 || toSeason < payload.FromSeason)
        {
            throw new JobInputException($"payload seasons {payload.FromSeason}..{toSeason}: fromSeason must be 2000 or later (the home rate needs a season before) and not after toSeason.");
        }

        var ordered = await NflGames.ThroughAsync(games, toSeason, context.CancellationToken).ConfigureAwait(false);
        var (y, elo, market, homeRate) = Forecast(ordered, payload.FromSeason, toSeason);
        if (y.Length < 2)
        {
            throw new JobInputException($"seasons {payload.FromSeason}..{toSeason} have {y.Length} played games with moneylines; a comparison needs at least 2.");
        }

        if (context.Limits.WorkProblem(2 * 2, y.Length, payload.PermutationResamples + payload.BootstrapResamples) is { } tooMuch)
        {
            throw new JobInputException(tooMuch); // two models, two scoring rules
        }

        var season = payload.FromSeason == toSeason ? payload.FromSeason : (int?)null;
        var rows = new List<ModelMetricRow>();
        var rules = new Dictionary<string, object>();
        var stage = 0;
        foreach (var (rule, name) in new[] { (ScoringRule.Brier, "brier"), (ScoringRule.LogLoss, "log-loss") })
        {
            var results = ModelComparison.Run(context.Device, y, homeRate, [("elo", elo), ("market", market)], new ModelComparisonOptions
            {
                Rule = rule,
                PermutationResamples = payload.PermutationResamples,
                BootstrapResamples = payload.BootstrapResamples,
                Seed = payload.Seed,
            }, context.Stage(0.1 + (0.45 * stage), 0.55 + (0.45 * stage), $"elo and the market against the home rate, {name}"), context.CancellationToken);
            stage++;
            foreach (var r in results)
            {
                var version = Forecasts.First(f => f.Model == r.Model).Version;
                var details = JobJson.Serialize(new { payload.FromSeason, toSeason, baseline = "home-rate", r.Improvement, pTwoSided = r.Permutation.PTwoSided, holmAcrossModels = r.AdjustedP, bcaLow = r.Bootstrap.BcaLow, bcaHigh = r.Bootstrap.BcaHigh });
                rows.Add(new ModelMetricRow(r.Model, version, name, r.MeanLoss, y.Length, season, details));
            }

            rows.Add(new ModelMetricRow("home-rate", "prior-seasons", name, results[0].BaselineMeanLoss, y.Length, season, null));
            rules[name] = results.Select(r => new { model = r.Model, meanLoss = r.MeanLoss, baselineMeanLoss = r.BaselineMeanLoss, improvement = r.Improvement, pTwoSided = r.Permutation.PTwoSided, adjustedP = r.AdjustedP, bcaLow = r.Bootstrap.BcaLow, bcaHigh = r.Bootstrap.BcaHigh });
        }

        await models.WriteMetricsAsync(context.Task.Id, rows, context.CancellationToken).ConfigureAwait(false);
        return JobJson.Serialize(new { device = context.Device.Profile.Name, payload.FromSeason, toSeason, games = y.Length, baseline = "home-rate", rules });
    }
}
