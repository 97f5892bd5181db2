using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace NflCompute.Dashboard.Reports;

/// <summary>A task's result as a report shows it.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Kind">Its job kind.</param>
/// <param name="Json">Its result JSON.</param>
public sealed record ReportedResult(string TaskId, string Kind, string Json);

/// <summary>
/// Results as a self-contained HTML page: for each task a chart in plain SVG and the same numbers
/// in a table beside it, and the results themselves as JSON in the page (what tests read). Plain
/// SVG rather than a charting library: the charts are a few rectangles, lines and labels drawn
/// once from data the server already has, so there is no script to load, nothing to fetch, and the
/// page works offline and prints as it looks. Colours are the Okabe-Ito palette (told apart with
/// every common colour-vision deficiency), and every mark has its number in the table.
/// </summary>
public static partial class ResultReport
{
    // Okabe and Ito's colour-blind-safe palette.
    private static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

    /// <summary>The report's style sheet (inline in a report file, /report.css on the dashboard).</summary>
    public const string Css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
        section{margin:0 0 3em}figure{display:flex;flex-wrap:wrap;gap:2em;margin:0}
        table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}
        td:first-child,th:first-child{text-align:left}.verdict{font-size:1.1em}
        svg text{font-size:11px;fill:#111}
        .shade1{background:#e5f0f7}.shade2{background:#cce1ef}.shade3{background:#b2d2e8}.shade4{background:#99c3e0}
        .shade5{background:#7fb4d8}.shade6{background:#66a5d0}.shade7{background:#4c96c8}.shade8{background:#3387c1;color:#fff}.shade9{background:#0072b2;color:#fff}
        """;

    /// <summary>The whole page; with <paramref name="stylesheet"/> its style comes from that address instead of inline (a page under a strict Content-Security-Policy).</summary>
    public static string Html(IReadOnlyList<ReportedResult> results, string title = "NflCompute results", string? stylesheet = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var parsed = results.Select(r => (Result: r, Root: JsonDocument.Parse(r.Json).RootElement)).ToList();
        var body = string.Concat(parsed.Select(p => Section(p.Result, p.Root)));
        return Page(title, body, parsed.Select(p => new { taskId = p.Result.TaskId, kind = p.Result.Kind, result = p.Root }), stylesheet);
    }

    /// <summary>A page of sections, with <paramref name="data"/> (what the charts show) as JSON in it.</summary>
    public static string Page(string title, string sections, object data, string? stylesheet = null)
    {
        var json = JsonSerializer.Serialize(data);
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            {{(stylesheet is null ? "<style>" + Css + "</style>" : $"<link rel=\"stylesheet\" href=\"{E(stylesheet)}\">")}}
            </head><body>
            <h1>{{E(title)}}</h1>
            {{sections}}
            <script type="application/json" id="report-data">{{json.Replace("</", "<\\/", StringComparison.Ordinal)}}</script>
            </body></html>
            """;
    }

    /// <summary>One task's section: a chart and its table for the kinds that have one, the result's fields otherwise.</summary>
    public static string Section(ReportedResult result, JsonElement r)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inner = result.Kind switch
        {
            "compare-models" => Comparison(r.GetProperty("models").EnumerateArray().Select(m => (Name(m, "model"), Num(m, "improvement"), Num(m.GetProperty("bootstrap"), "bcaLow"), Num(m.GetProperty("bootstrap"), "bcaHigh"), Num(m, "adjustedP"))).ToList(), "loss difference against the baseline"),
            "nfl-compare" => string.Concat(r.GetProperty("rules").EnumerateObject().Select(rule =>
                $"<h3>{E(rule.Name)} against {E(Name(r, "baseline"))}, seasons {Num(r, "fromSeason")}-{Num(r, "toSeason")}</h3>" +
                Comparison([.. rule.Value.EnumerateArray().Select(m => (Name(m, "model"), Num(m, "improvement"), Num(m, "bcaLow"), Num(m, "bcaHigh"), Num(m, "adjustedP")))], rule.Name + " improvement"))),
            "regression-check" => Regression(r),
            "season-sim" => SeasonOdds(r) + SeedDistribution(r),
            "elo-sweep" => SweepHeatmap(r),
            "nfl-compare-summary" => ForecastQuality(r),
            _ => Fields(r),
        };
        return $"<section id=\"task-{E(result.TaskId)}\"><h2>{E(result.Kind)} <small>task {E(result.TaskId)}</small></h2>{inner}</section>";
    }

    // A forest plot: each model's improvement with its BCa interval, zero marked.
    private static string Comparison(List<(string Model, double Improvement, double Low, double High, double AdjustedP)> rows, string what)
    {
        const int width = 460, rowHeight = 28, left = 120;
        var lo = Math.Min(0, rows.Min(r => r.Low));
        var hi = Math.Max(0, rows.Max(r => r.High));
        var pad = (hi - lo) * 0.08 + 1e-12;
        (lo, hi) = (lo - pad, hi + pad);
        double X(double v) => left + ((v - lo) / (hi - lo) * (width - left - 20));
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"{E(what)}\" width=\"{width}\" height=\"{(rows.Count * rowHeight) + 40}\" viewBox=\"0 0 {width} {(rows.Count * rowHeight) + 40}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(0):F1}\" x2=\"{X(0):F1}\" y1=\"5\" y2=\"{(rows.Count * rowHeight) + 10}\" stroke=\"#888\" stroke-dasharray=\"3 3\"/>");
        for (var i = 0; i < rows.Count; i++)
        {
            var (model, improvement, low, high, _) = rows[i];
            var y = 20 + (i * rowHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + 4}\">{E(model)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(low):F1}\" x2=\"{X(high):F1}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{Palette[0]}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(improvement):F1}\" cy=\"{y}\" r=\"4\" fill=\"{Palette[1]}\"/>");
        }

        var axis = (rows.Count * rowHeight) + 32;
        var zero = X(0) - left > 50 && width - 4 - X(0) > 50 ? $"<text x=\"{X(0).ToString("F1", CultureInfo.InvariantCulture)}\" y=\"{axis}\" text-anchor=\"middle\">0</text>" : "";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{axis}\">{F(lo)}</text>{zero}<text x=\"{width - 4}\" y=\"{axis}\" text-anchor=\"end\">{F(hi)}</text></svg>");
        return Figure(svg.ToString(), ["model", "improvement", "BCa low", "BCa high", "adjusted p"], rows.Select(r => new[] { r.Model, F(r.Improvement), F(r.Low), F(r.High), F(r.AdjustedP) }));
    }

    // A regression check's verdict in words, and each comparison.
    private static string Regression(JsonElement r)
    {
        var comparisons = r.GetProperty("comparisons").EnumerateArray().ToList();
        var regressed = comparisons.Where(c => c.GetProperty("regression").GetBoolean()).ToList();
        var words = comparisons.Count == 0
            ? $"{E(Name(r, "model"))} {E(Name(r, "version"))} is the first version scored on these outcomes: nothing to compare with."
            : regressed.Count == 0
                ? $"No regression: {E(Name(r, "model"))} {E(Name(r, "version"))} is not significantly worse than {string.Join(" or ", comparisons.Select(c => E(Name(c, "version"))))} ({E(Name(r, "rule"))}, one-sided permutation test, Holm across the comparisons)."
                : string.Join(" ", regressed.Select(c => $"Regression: {E(Name(r, "model"))} {E(Name(r, "version"))} is worse than {E(Name(c, "version"))} ({E(Name(c, "against"))}) by {F(Num(c, "difference"))} in mean {E(Name(r, "rule"))} (adjusted p {F(Num(c, "adjustedP"))}, BCa interval {F(Num(c, "bcaLow"))} to {F(Num(c, "bcaHigh"))})."));
        var rows = comparisons.Select(c => (Name(c, "version") + " (" + Name(c, "against") + ")", Num(c, "difference"), Num(c, "bcaLow"), Num(c, "bcaHigh"), Num(c, "adjustedP"))).ToList();
        return $"<p class=\"verdict\">{words}</p>" + (rows.Count > 0 ? Comparison(rows, "difference in mean loss, new minus old") : "");
    }

    // A season simulation: each team's playoff, division, bye and Super Bowl shares as bars.
    private static string SeasonOdds(JsonElement r)
    {
        var series = new[] { ("playoffs", "playoffs"), ("division", "division"), ("bye", "bye"), ("superBowl", "Super Bowl") };
        var teams = r.GetProperty("teams").EnumerateArray().OrderByDescending(t => Num(t, "playoffs")).ToList();
        const int rowHeight = 14, left = 50, barWidth = 90;
        var width = left + (series.Length * (barWidth + 10));
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"playoff odds per team\" width=\"{width}\" height=\"{(teams.Count * rowHeight) + 30}\">");
        for (var s = 0; s < series.Length; s++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (s * (barWidth + 10))}\" y=\"12\">{E(series[s].Item2)}</text>");
        }

        for (var i = 0; i < teams.Count; i++)
        {
            var y = 20 + (i * rowHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + 10}\">{E(Name(teams[i], "team"))}</text>");
            for (var s = 0; s < series.Length; s++)
            {
                var share = teams[i].TryGetProperty(series[s].Item1, out var v) ? v.GetDouble() : 0;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + (s * (barWidth + 10))}\" y=\"{y}\" width=\"{share * barWidth:F1}\" height=\"{rowHeight - 3}\" fill=\"{Palette[s]}\"/>");
            }
        }

        svg.Append("</svg>");
        return $"<p>{E(Name(r, "season"))} season from week {Num(r, "afterWeek")}: {Num(r, "simulations"):N0} simulated seasons.</p>" +
            Figure(svg.ToString(), ["team", .. series.Select(s => s.Item2), "expected wins"], teams.Select(t => new[] { Name(t, "team") }.Concat(series.Select(s => t.TryGetProperty(s.Item1, out var v) ? P(v.GetDouble()) : "")).Append(F(Num(t, "expectedWins"))).ToArray()));
    }

    // Each team's share of seasons with each seed, as cells shaded in ten steps (classes, not
    // inline styles, which the dashboard's policy refuses) with the share in them.
    private static string SeedDistribution(JsonElement r)
    {
        var teams = r.GetProperty("teams").EnumerateArray().Where(t => t.TryGetProperty("seeds", out var s) && s.GetArrayLength() > 0).OrderByDescending(t => Num(t, "playoffs")).ToList();
        if (teams.Count == 0)
        {
            return "";
        }

        var seeds = teams[0].GetProperty("seeds").GetArrayLength();
        var rows = new StringBuilder();
        foreach (var t in teams)
        {
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(Name(t, "team"))}</td>");
            foreach (var share in t.GetProperty("seeds").EnumerateArray().Select(v => v.GetDouble()))
            {
                rows.Append(CultureInfo.InvariantCulture, $"<td class=\"shade{(int)Math.Round(share * 9)}\">{P(share)}</td>");
            }

            rows.Append("</tr>");
        }

        return $"<h3>Seeds</h3><table class=\"seeds\"><thead><tr><th scope=\"col\">team</th>{string.Concat(Enumerable.Range(1, seeds).Select(s => $"<th scope=\"col\">seed {s}</th>"))}</tr></thead><tbody>{rows}</tbody></table>";
    }

    // An Elo sweep: Brier over K and the home edge at the best set's reversion and margin
    // constants, darker for lower, 538's set outlined.
    private static string SweepHeatmap(JsonElement r)
    {
        if (!r.TryGetProperty("surface", out var surface) || !r.TryGetProperty("bestByBrier", out var best))
        {
            return Fields(r);
        }

        var slice = surface.EnumerateArray().Where(c => Num(c, "reversion") == Num(best, "reversion") && Num(c, "marginScale") == Num(best, "marginScale") && Num(c, "marginSlope") == Num(best, "marginSlope")).ToList();
        var ks = slice.Select(c => Num(c, "k")).Distinct().Order().ToList();
        var edges = slice.Select(c => Num(c, "homeEdge")).Distinct().Order().ToList();
        var (lo, hi) = (slice.Min(c => Num(c, "brier")), slice.Max(c => Num(c, "brier")));
        const int cell = 22, left = 50, top = 20;
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"Brier over K and home edge\" width=\"{Math.Max(240, left + (edges.Count * cell) + 10)}\" height=\"{top + (ks.Count * cell) + 30}\">");
        foreach (var c in slice)
        {
            var (x, y) = (left + (edges.IndexOf(Num(c, "homeEdge")) * cell), top + (ks.IndexOf(Num(c, "k")) * cell));
            var depth = hi > lo ? 1 - ((Num(c, "brier") - lo) / (hi - lo)) : 1;
            var classic = Num(c, "k") == 20 && Num(c, "homeEdge") == 65 && Math.Abs(Num(c, "reversion") - (1.0 / 3)) < 1e-9;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"rgba(0,114,178,{0.1 + (0.9 * depth):F3})\"{(classic ? " stroke=\"#D55E00\" stroke-width=\"3\"" : "")}><title>K {F(Num(c, "k"))}, home edge {F(Num(c, "homeEdge"))}: Brier {F(Num(c, "brier"))}</title></rect>");
        }

        for (var i = 0; i < ks.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{top + (i * cell) + 15}\">K {F(ks[i])}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{top + (ks.Count * cell) + 16}\">home edge {F(edges[0])} to {F(edges[^1])}</text></svg>");
        var table = slice.OrderBy(c => Num(c, "brier")).Select(c => new[] { F(Num(c, "k")), F(Num(c, "homeEdge")), F(Num(c, "reversion")), F(Num(c, "brier")), F(Num(c, "logLoss")) });
        return $"<p>Brier of each K and home edge at reversion {F(Num(best, "reversion"))} (the best set's); darker is better; 538's set (K 20, home edge 65, reversion 1/3) outlined where the grid has it. Best: K {F(Num(best, "k"))}, home edge {F(Num(best, "homeEdge"))}, Brier {F(Num(best, "brier"))}.</p>" +
            Figure(svg.ToString(), ["K", "home edge", "reversion", "Brier", "log loss"], table);
    }

    // Forecast quality by season (an nfl-compare-summary): each model's mean loss per season as
    // lines, one chart per scoring rule, with the Holm-adjusted p per season and the pooled figures.
    private static string ForecastQuality(JsonElement r)
    {
        var rows = r.GetProperty("bySeason").EnumerateArray().ToList();
        var html = new StringBuilder();
        foreach (var rule in rows.Select(e => Name(e, "rule")).Distinct())
        {
            var points = rows.Where(e => Name(e, "rule") == rule).ToList();
            var models = points.Select(e => Name(e, "model")).Distinct().ToList();
            var seasons = points.Select(e => Num(e, "season")).Distinct().Order().ToList();
            var (lo, hi) = (points.Min(e => Num(e, "meanLoss")), points.Max(e => Num(e, "meanLoss")));
            var pad = ((hi - lo) * 0.1) + 1e-9;
            (lo, hi) = (lo - pad, hi + pad);
            const int width = 480, height = 220, left = 50, bottom = 30;
            double X(double season) => seasons.Count == 1 ? left + ((width - left) / 2.0) : left + ((season - seasons[0]) / (seasons[^1] - seasons[0]) * (width - left - 20));
            double Y(double loss) => 10 + ((hi - loss) / (hi - lo) * (height - bottom - 10));
            var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"{E(rule)} per season\" width=\"{width}\" height=\"{height + (16 * models.Count)}\">");
            for (var m = 0; m < models.Count; m++)
            {
                var line = points.Where(e => Name(e, "model") == models[m]).OrderBy(e => Num(e, "season")).ToList();
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Palette[m]}\" stroke-width=\"2\" points=\"{string.Join(' ', line.Select(e => string.Create(CultureInfo.InvariantCulture, $"{X(Num(e, "season")):F1},{Y(Num(e, "meanLoss")):F1}")))}\"/>");
                foreach (var e in line)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(Num(e, "season")):F1}\" cy=\"{Y(Num(e, "meanLoss")):F1}\" r=\"3\" fill=\"{Palette[m]}\"/>");
                }

                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{height + (16 * m) - 9}\" width=\"10\" height=\"10\" fill=\"{Palette[m]}\"/><text x=\"{left + 16}\" y=\"{height + (16 * m)}\">{E(models[m])}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"16\">{F(hi)}</text><text x=\"4\" y=\"{height - bottom}\">{F(lo)}</text><text x=\"{left}\" y=\"{height - 12}\">{F(seasons[0])}</text><text x=\"{width - 4}\" y=\"{height - 12}\" text-anchor=\"end\">{F(seasons[^1])}</text></svg>");
            var table = seasons.Select(season => new[] { F(season) }.Concat(models.SelectMany(model =>
                points.FirstOrDefault(e => Num(e, "season") == season && Name(e, "model") == model) is { ValueKind: JsonValueKind.Object } e
                    ? new[] { F(Num(e, "meanLoss")), F(Num(e, "holmAcrossSeasons")) }
                    : ["", ""])).ToArray());
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(rule)} per season</h3>").Append(Figure(svg.ToString(), ["season", .. models.SelectMany(m => new[] { m + " mean loss", m + " Holm p" })], table));
        }

        // The pooled seasons, per rule and model.
        var pooled = r.GetProperty("pooled").EnumerateArray().SelectMany(p => p.EnumerateObject().SelectMany(rule => rule.Value.EnumerateArray().Select(m =>
            new[] { rule.Name, Name(m, "model"), F(Num(m, "meanLoss")), F(Num(m, "baselineMeanLoss")), F(Num(m, "improvement")), F(Num(m, "adjustedP")) }))).ToList();
        if (pooled.Count > 0)
        {
            html.Append("<h3>Pooled</h3>").Append(Figure("", ["rule", "model", "mean loss", "baseline mean loss", "improvement", "adjusted p"], pooled));
        }

        return html.ToString();
    }

    // Any other result: its top-level numbers and words.
    private static string Fields(JsonElement r) =>
        r.ValueKind != JsonValueKind.Object ? $"<pre>{E(r.GetRawText())}</pre>"
        : Figure("", ["field", "value"], r.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False).Select(p => new[] { p.Name, p.Value.ToString() }));

    private static string Figure(string svg, string[] header, IEnumerable<string[]> rows) =>
        $"<figure>{svg}<table><thead><tr>{string.Concat(header.Select(h => $"<th scope=\"col\">{E(h)}</th>"))}</tr></thead><tbody>" +
        string.Concat(rows.Select(row => "<tr>" + string.Concat(row.Select(c => $"<td>{E(c)}</td>")) + "</tr>")) + "</tbody></table></figure>";

    private static string Name(JsonElement e, string property) => e.TryGetProperty(property, out var v) ? v.ToString() : "";

    private static double Num(JsonElement e, string property) => e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string P(double v) => v.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
