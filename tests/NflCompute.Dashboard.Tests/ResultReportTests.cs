using System.Text.Json;
using Microsoft.Playwright;
using NflCompute.Dashboard.Reports;

namespace NflCompute.Dashboard.Tests;

/// <summary>nflc report's HTML: charts beside tables of the same numbers, the results in the page, offline in chromium.</summary>
public sealed class ResultReportTests
{
    private static readonly ReportedResult Comparison = new("01m8aaaaaaaaaaaaaaa1", "compare-models", """
        {"device": "cpu", "models": [
          {"model": "elo", "improvement": 0.0126, "adjustedP": 0.153, "bootstrap": {"level": 0.95, "bcaLow": -0.0036, "bcaHigh": 0.0294}},
          {"model": "<b>market</b>", "improvement": 0.0271, "adjustedP": 0.009, "bootstrap": {"level": 0.95, "bcaLow": 0.0082, "bcaHigh": 0.044}}]}
        """);

    private static readonly ReportedResult Regression = new("01m8aaaaaaaaaaaaaaa2", "regression-check", """
        {"model": "elo", "version": "v2-k40", "rule": "brier", "meanLoss": 0.225, "games": 7184, "regressions": 1, "comparisons": [
          {"against": "previous", "version": "v1-classic", "difference": 0.0041, "pGreater": 0.0001, "adjustedP": 0.0002, "bcaLow": 0.0031, "bcaHigh": 0.0052, "regression": true}]}
        """);

    private static readonly ReportedResult Season = new("01m8aaaaaaaaaaaaaaa3", "season-sim", """
        {"season": 2025, "afterWeek": 13, "simulations": 20000, "teams": [
          {"team": "DEN", "playoffs": 0.997, "division": 0.958, "bye": 0.622, "superBowl": 0.216, "expectedWins": 13.38, "seeds": [0.622, 0.3, 0.075]},
          {"team": "KC", "playoffs": 0.402, "division": 0.006, "bye": 0.0, "superBowl": 0.019, "expectedWins": 9.56, "seeds": [0, 0.002, 0.4]}]}
        """);

    private static readonly ReportedResult Sweep = new("01m8aaaaaaaaaaaaaaa4", "elo-sweep", """
        {"combinations": 4, "bestByBrier": {"k": 25, "homeEdge": 60, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2205, "logLoss": 0.632},
         "surface": [
          {"k": 20, "homeEdge": 65, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2207, "logLoss": 0.633},
          {"k": 25, "homeEdge": 60, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2205, "logLoss": 0.632},
          {"k": 20, "homeEdge": 60, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2209, "logLoss": 0.634},
          {"k": 25, "homeEdge": 65, "reversion": 0.5, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2301, "logLoss": 0.64}]}
        """);

    [Fact]
    public void ASeasonSimulation_ShowsEachSeedsShare_AndASweep_ItsBrierSurfaceAtTheBestReversion_With538sSetMarked()
    {
        var html = ResultReport.Html([Season, Sweep]);

        Assert.Contains("<td>DEN</td><td class=\"shade6\">62.2%</td><td class=\"shade3\">30.0%</td><td class=\"shade1\">7.5%</td>", html, StringComparison.Ordinal);
        Assert.Equal(
            [["25", "60", "0.333333", "0.2205", "0.632"], ["20", "65", "0.333333", "0.2207", "0.633"], ["20", "60", "0.333333", "0.2209", "0.634"]],
            Rows(html, Sweep.TaskId)); // the slice at the best reversion, best first
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "stroke=\"#D55E00\"")); // 538's set
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal); // nothing the dashboard's policy would refuse
    }

    private static readonly ReportedResult Summary = new("01m8aaaaaaaaaaaaaaa5", "nfl-compare-summary", """
        {"seasons": 2, "pooled": [{"brier": [{"model": "elo", "meanLoss": 0.221, "baselineMeanLoss": 0.245, "improvement": 0.024, "adjustedP": 0.001}]}], "bySeason": [
          {"rule": "brier", "model": "elo", "season": 2023, "meanLoss": 0.2332, "improvement": 0.0126, "pTwoSided": 0.15, "holmAcrossSeasons": 0.15},
          {"rule": "brier", "model": "elo", "season": 2024, "meanLoss": 0.2129, "improvement": 0.0352, "pTwoSided": 0.001, "holmAcrossSeasons": 0.002},
          {"rule": "brier", "model": "market", "season": 2023, "meanLoss": 0.2186, "improvement": 0.0271, "pTwoSided": 0.004, "holmAcrossSeasons": 0.004},
          {"rule": "brier", "model": "market", "season": 2024, "meanLoss": 0.2010, "improvement": 0.047, "pTwoSided": 0.001, "holmAcrossSeasons": 0.002}]}
        """);

    [Fact]
    public void ForecastQualityBySeason_IsALinePerModel_WithItsNumbersPerSeason_AndThePooledFigures()
    {
        var html = ResultReport.Html([Summary]);

        Assert.Equal(2, html.Split("<polyline ").Length - 1);
        Assert.Equal(
            [["2023", "0.2332", "0.15", "0.2186", "0.004"], ["2024", "0.2129", "0.002", "0.201", "0.002"], ["brier", "elo", "0.221", "0.245", "0.024", "0.001"]],
            Rows(html, Summary.TaskId));
    }

    private static List<List<string>> Rows(string html, string taskId)
    {
        var section = html[html.IndexOf($"id=\"task-{taskId}\"", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        return [.. System.Text.RegularExpressions.Regex.Matches(section, "<tr>(.*?)</tr>").Select(m =>
            System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, "<td>(.*?)</td>").Select(c => System.Net.WebUtility.HtmlDecode(c.Groups[1].Value)).ToList()).Where(row => row.Count > 0)];
    }

    [Fact]
    public void EachChart_HasItsNumbersInATable_AndTheResultsTravelInThePage_Escaped()
    {
        var html = ResultReport.Html([Comparison, Regression, Season]);

        Assert.Equal(
            [["elo", "0.0126", "-0.0036", "0.0294", "0.153"], ["<b>market</b>", "0.0271", "0.0082", "0.044", "0.009"]],
            Rows(html, Comparison.TaskId));
        Assert.DoesNotContain("<b>market</b>", html, StringComparison.Ordinal); // escaped in the table and in the JSON
        Assert.Equal([["DEN", "99.7%", "95.8%", "62.2%", "21.6%", "13.38"], ["KC", "40.2%", "0.6%", "0.0%", "1.9%", "9.56"]], Rows(html, Season.TaskId).Take(2)); // the odds table (the seeds table follows)
        Assert.Contains("Regression: elo v2-k40 is worse than v1-classic (previous) by 0.0041 in mean brier (adjusted p 0.0002, BCa interval 0.0031 to 0.0052).", html, StringComparison.Ordinal);
        Assert.Equal(3, Svgs(html));

        var data = JsonDocument.Parse(html.Split("<script type=\"application/json\" id=\"report-data\">")[1].Split("</script>")[0]).RootElement;
        Assert.Equal([Comparison.TaskId, Regression.TaskId, Season.TaskId], data.EnumerateArray().Select(r => r.GetProperty("taskId").GetString()));
        Assert.Equal(0.0271, data[0].GetProperty("result").GetProperty("models")[1].GetProperty("improvement").GetDouble());
    }

    [Fact]
    public void ARegressionCheckWithoutARegression_SaysSoInWords()
    {
        var clean = Regression with { Json = Regression.Json.Replace("\"regression\": true", "\"regression\": false", StringComparison.Ordinal) };

        Assert.Contains("No regression: elo v2-k40 is not significantly worse than v1-classic", ResultReport.Html([clean]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReport_OpensOfflineInChromium_WithoutErrors_ShowingTheSameNumbers()
    {
        var file = Repo.Path(".local", "test-artifacts", "report.html");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, ResultReport.Html([Comparison, Regression, Season]));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Offline = true });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(new Uri(file).AbsoluteUri);

        Assert.Empty(errors);
        Assert.Equal([new Uri(file).AbsoluteUri], requests); // nothing else fetched
        Assert.Equal("21.6%", (await page.Locator($"#task-{Season.TaskId} tbody tr:has(td:text-is('DEN')) td:nth-child(5)").InnerTextAsync()).Trim());
        Assert.Equal(3, await page.Locator("svg[role=img]").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repo.Path(".local", "test-artifacts", "report.png"), FullPage = true });
    }

    private static int Svgs(string html) => html.Split("<svg ").Length - 1;
}
