using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NflCompute.Dashboard.Reports;

/// <summary>A registered model version: its mean loss on its outcomes and rule.</summary>
/// <param name="Version">The version.</param>
/// <param name="Rule">Its scoring rule.</param>
/// <param name="MeanLoss">Its mean loss.</param>
/// <param name="RegisteredAt">When it was registered.</param>
public sealed record VersionPoint(string Version, string Rule, double MeanLoss, DateTimeOffset RegisteredAt);

/// <summary>A regression found for a version: which earlier one it lost to, and the evidence (regression-check's JSON).</summary>
/// <param name="Version">The version that regressed.</param>
/// <param name="ComparedTo">The version it was worse than.</param>
/// <param name="Evidence">The comparison as regression-check recorded it.</param>
public sealed record RegressionPoint(string Version, string ComparedTo, string Evidence);

/// <summary>A team's rating at the end of a season.</summary>
/// <param name="Team">The team.</param>
/// <param name="Season">The season.</param>
/// <param name="Rating">Its rating after its last game that season.</param>
public sealed record RatingPoint(string Team, int Season, double Rating);

public static partial class ResultReport
{
    /// <summary>A model across its versions: mean loss per version, and each regression in words with its interval.</summary>
    public static string VersionHistory(string model, IReadOnlyList<VersionPoint> versions, IReadOnlyList<RegressionPoint> regressions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(regressions);
        if (versions.Count == 0)
        {
            return $"<p>No version of {E(model)} is registered.</p>";
        }

        var html = new StringBuilder();
        foreach (var rule in versions.Select(v => v.Rule).Distinct())
        {
            var points = versions.Where(v => v.Rule == rule).ToList();
            var (lo, hi) = (points.Min(v => v.MeanLoss), points.Max(v => v.MeanLoss));
            var pad = ((hi - lo) * 0.1) + 1e-9;
            (lo, hi) = (lo - pad, hi + pad);
            const int step = 70, left = 60, height = 180;
            var width = Math.Max(260, left + (points.Count * step));
            double Y(double loss) => 10 + ((hi - loss) / (hi - lo) * (height - 50));
            var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"{E(model)} mean {E(rule)} by version\" width=\"{width}\" height=\"{height}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Palette[0]}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{left + (i * step)},{Y(v.MeanLoss):F1}")))}\"/>");
            for (var i = 0; i < points.Count; i++)
            {
                var regressed = regressions.Any(r => r.Version == points[i].Version);
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{left + (i * step)}\" cy=\"{Y(points[i].MeanLoss):F1}\" r=\"5\" fill=\"{(regressed ? Palette[5] : Palette[0])}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (i * step)}\" y=\"{height - 20}\" text-anchor=\"middle\">{E(points[i].Version)}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"16\">{F(hi)}</text><text x=\"4\" y=\"{height - 40}\">{F(lo)}</text></svg>");
            var table = points.Select(v => new[]
            {
                v.Version, v.RegisteredAt.ToString("u", CultureInfo.InvariantCulture), F(v.MeanLoss),
                regressions.Any(r => r.Version == v.Version) ? "regression (vermilion)" : "",
            });
            html.Append(CultureInfo.InvariantCulture, $"<h3>Mean {E(rule)} by version</h3>").Append(Figure(svg.ToString(), ["version", "registered", "mean loss", "verdict"], table));
        }

        html.Append("<h3>Regressions</h3>");
        html.Append(regressions.Count == 0 ? "<p>None recorded.</p>" : string.Concat(regressions.Select(r =>
        {
            using var evidence = JsonDocument.Parse(r.Evidence);
            var e = evidence.RootElement;
            return $"<p class=\"verdict\">{E(model)} {E(r.Version)} is worse than {E(r.ComparedTo)} ({E(Name(e, "against"))} version) by {F(Num(e, "difference"))} in mean loss: new {F(Num(e, "newMeanLoss"))}, old {F(Num(e, "oldMeanLoss"))}, one-sided permutation p {F(Num(e, "pGreater"))}, Holm-adjusted {F(Num(e, "adjustedP"))}, BCa interval of the difference {F(Num(e, "bcaLow"))} to {F(Num(e, "bcaHigh"))}, over {Num(e, "games")} games.</p>";
        })));
        return html.ToString();
    }

    /// <summary>Teams' Elo ratings at the end of each season, one line each.</summary>
    public static string EloHistory(IReadOnlyList<RatingPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return "<p>No ratings for those teams in this run.</p>";
        }

        var teams = points.Select(p => p.Team).Distinct().ToList();
        var seasons = points.Select(p => p.Season).Distinct().Order().ToList();
        var (lo, hi) = (points.Min(p => p.Rating) - 20, points.Max(p => p.Rating) + 20);
        const int width = 640, height = 260, left = 50;
        double X(int season) => seasons.Count == 1 ? left : left + ((season - seasons[0]) / (double)(seasons[^1] - seasons[0]) * (width - left - 20));
        double Y(double rating) => 10 + ((hi - rating) / (hi - lo) * (height - 40));
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"Elo rating at each season's end\" width=\"{width}\" height=\"{height + (16 * teams.Count)}\">");
        for (var t = 0; t < teams.Count; t++)
        {
            var line = points.Where(p => p.Team == teams[t]).OrderBy(p => p.Season).ToList();
            var colour = Palette[t % Palette.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', line.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Season):F1},{Y(p.Rating):F1}")))}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{height + (16 * t) - 9}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{left + 16}\" y=\"{height + (16 * t)}\">{E(teams[t])}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"16\">{F(Math.Round(hi))}</text><text x=\"4\" y=\"{height - 30}\">{F(Math.Round(lo))}</text><text x=\"{left}\" y=\"{height - 12}\">{seasons[0]}</text><text x=\"{width - 4}\" y=\"{height - 12}\" text-anchor=\"end\">{seasons[^1]}</text></svg>");
        var table = seasons.Select(season => new[] { season.ToString(CultureInfo.InvariantCulture) }.Concat(teams.Select(team => points.FirstOrDefault(p => p.Team == team && p.Season == season) is { } p ? p.Rating.ToString("F1", CultureInfo.InvariantCulture) : "")).ToArray());
        return "<p>538 published its own ratings from 1920 on; this grid ships only their end-of-1998 seeds, so no 538 line is drawn after them.</p>" +
            Figure(svg.ToString(), ["season", .. teams], table);
    }
}
