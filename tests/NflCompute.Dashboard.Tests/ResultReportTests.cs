using System.Text.Json;
using Microsoft.Playwright;
using NflCompute.Dashboard.Reports;

namespace NflCompute.Dashboard.Tests;

/// <summary>nflc report's HTML: charts beside tables of the same numbers, the results in the page, offline in chromium.</summary>
public sealed class ResultReportTests
{
    [Fact]
    public void ASeasonSimulation_ShowsEachSeedsShare_AndASweep_ItsBrierSurfaceAtTheBestReversion_With538sSetMarked()
    {
        var html = ResultReport.Html([ResultFixtures.Season, ResultFixtures.Sweep]);

        Assert.Contains("<td>DEN</td><td class=\"shade6\">62.2%</td><td class=\"shade3\">30.0%</td><td class=\"shade1\">7.5%</td>", html, StringComparison.Ordinal);
        Assert.Equal(
            [["25", "60", "0.333333", "0.2205", "0.632"], ["20", "65", "0.333333", "0.2207", "0.633"], ["20", "60", "0.333333", "0.2209", "0.634"]],
            Rows(html, ResultFixtures.Sweep.TaskId)); // the slice at the best reversion, best first
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "stroke=\"#D55E00\"")); // 538's set
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal); // nothing the dashboard's policy would refuse
    }

    [Fact]
    public void ForecastQualityBySeason_IsALinePerModel_WithItsNumbersPerSeason_AndThePooledFigures()
    {
        var html = ResultReport.Html([ResultFixtures.Summary]);

        Assert.Equal(2, html.Split("<polyline ").Length - 1);
        Assert.Equal(
            [["2023", "0.2332", "0.15", "0.2186", "0.004"], ["2024", "0.2129", "0.002", "0.201", "0.002"], ["brier", "elo", "0.221", "0.245", "0.024", "0.001"]],
            Rows(html, ResultFixtures.Summary.TaskId));
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
        var html = ResultReport.Html([ResultFixtures.Comparison, ResultFixtures.Regression, ResultFixtures.Season]);

        Assert.Equal(
            [["elo", "0.0126", "-0.0036", "0.0294", "0.153"], ["<b>market</b>", "0.0271", "0.0082", "0.044", "0.009"]],
            Rows(html, ResultFixtures.Comparison.TaskId));
        Assert.DoesNotContain("<b>market</b>", html, StringComparison.Ordinal); // escaped in the table and in the JSON
        Assert.Equal([["DEN", "99.7%", "95.8%", "62.2%", "21.6%", "13.38"], ["KC", "40.2%", "0.6%", "0.0%", "1.9%", "9.56"]], Rows(html, ResultFixtures.Season.TaskId).Take(2)); // the odds table (the seeds table follows)
        Assert.Contains("Regression: elo v2-k40 is worse than v1-classic (previous) by 0.0041 in mean brier (adjusted p 0.0002, BCa interval 0.0031 to 0.0052).", html, StringComparison.Ordinal);
        Assert.Equal(3, Svgs(html));

        var data = JsonDocument.Parse(html.Split("<script type=\"application/json\" id=\"report-data\">")[1].Split("</script>")[0]).RootElement;
        Assert.Equal([ResultFixtures.Comparison.TaskId, ResultFixtures.Regression.TaskId, ResultFixtures.Season.TaskId], data.EnumerateArray().Select(r => r.GetProperty("taskId").GetString()));
        Assert.Equal(0.0271, data[0].GetProperty("result").GetProperty("models")[1].GetProperty("improvement").GetDouble());
    }

    [Fact]
    public void ARegressionCheckWithoutARegression_SaysSoInWords()
    {
        var clean = ResultFixtures.Regression with { Json = ResultFixtures.Regression.Json.Replace("\"regression\": true", "\"regression\": false", StringComparison.Ordinal) };

        Assert.Contains("No regression: elo v2-k40 is not significantly worse than v1-classic", ResultReport.Html([clean]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReport_OpensOfflineInChromium_WithoutErrors_ShowingTheSameNumbers()
    {
        var file = Repo.Path(".local", "test-artifacts", "report.html");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, ResultReport.Html([ResultFixtures.Comparison, ResultFixtures.Regression, ResultFixtures.Season]));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Offline = true });
        var page = await context.NewPageAsync();
        var errors = Chromium.Errors(page);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(new Uri(file).AbsoluteUri);

        Assert.Empty(errors);
        Assert.Equal([new Uri(file).AbsoluteUri], requests); // nothing else fetched
        Assert.Equal("21.6%", (await page.Locator($"#task-{ResultFixtures.Season.TaskId} tbody tr:has(td:text-is('DEN')) td:nth-child(5)").InnerTextAsync()).Trim());
        Assert.Equal(3, await page.Locator("svg[role=img]").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repo.Path(".local", "test-artifacts", "report.png"), FullPage = true });
    }

    private static int Svgs(string html) => html.Split("<svg ").Length - 1;
}
