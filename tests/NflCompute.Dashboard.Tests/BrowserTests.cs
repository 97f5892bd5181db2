using Microsoft.Playwright;

namespace NflCompute.Dashboard.Tests;

/// <summary>The dashboard in a real browser (Debian's chromium through Playwright) against a live grid.</summary>
public sealed class BrowserTests(LiveGrid grid) : IClassFixture<LiveGrid>
{
    [Fact]
    public async Task ThePage_ShowsWhatRedisAndPostgresHold_AndRequeuesADeadLetter()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1800 } });
        // A blocked script or style (the Content-Security-Policy) shows up as a console error.
        var errors = Chromium.Errors(page);
        var response = await page.GotoAsync(grid.Url);
        await page.WaitForSelectorAsync("body[data-loaded=true]", new PageWaitForSelectorOptions { Timeout = 30_000 });
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal(("nosniff", "no-referrer"), (headers["x-content-type-options"], headers["referrer-policy"]));

        var counts = await grid.Queue.GetCountsAsync();
        async Task<string> Text(string selector) => (await page.Locator(selector).InnerTextAsync()).Trim();
        Assert.Equal(counts.Pending.ToString(System.Globalization.CultureInfo.InvariantCulture), await Text("#pending-total"));
        Assert.Equal(counts.DeadLetters.ToString(System.Globalization.CultureInfo.InvariantCulture), await Text("#dlq-size"));
        Assert.Equal(counts.CompletedTotal.ToString(System.Globalization.CultureInfo.InvariantCulture), await Text("#completed"));
        Assert.Equal("1", await Text("#workers-count"));
        Assert.Contains("NVIDIA H100 (cuda:0)", await Text("#workers"), StringComparison.Ordinal);
        Assert.Contains("paused since", await Text("#classes tbody tr:has(td:text-is('gpu-high'))"), StringComparison.Ordinal);
        Assert.Contains("running", await Text("#classes tbody tr:has(td:text-is('cpu'))"), StringComparison.Ordinal);
        Assert.Contains("at most 2 running (0 now), 600 per 00:01:00", await Text("#classes tbody tr:has(td:text-is('gpu'))"), StringComparison.Ordinal);
        Assert.Contains("does not exist", await Text("#dlq"), StringComparison.Ordinal);
        Assert.Contains(grid.RunningId, await Text("#running-tasks"), StringComparison.Ordinal); // in flight, from Redis
        Assert.NotEqual("", await Text($"#running-tasks tbody tr:has(td:text-is('{grid.RunningId}')) td:last-child")); // its expected end, from noop's history
        Assert.Equal(await CountAsync("SELECT count(*) FROM tasks"), await page.Locator("#tasks tbody tr").CountAsync());
        Assert.Equal(await CountAsync("SELECT count(*) FROM regressions"), await page.Locator("#regressions tbody tr").CountAsync());
        Assert.Contains("0.22010", await Text("#models"), StringComparison.Ordinal);
        Assert.Contains("0 3 * * * (America/New_York)", await Text("#schedules"), StringComparison.Ordinal);

        // A task's detail: its trace, linked to the trace viewer, and its attempts' timeline.
        await page.ClickAsync($"#tasks button[data-task='{grid.TracedId}']");
        await page.WaitForSelectorAsync("#task-trace a");
        Assert.Equal(LiveGrid.TraceLinkTemplate.Replace("{traceId}", LiveGrid.TraceId, StringComparison.Ordinal), await page.Locator("#task-trace a").GetAttributeAsync("href"));
        Assert.Equal(LiveGrid.TraceId, await Text("#task-trace a"));
        Assert.Equal(await CountAsync($"SELECT count(*) FROM task_attempts WHERE task_id = '{grid.TracedId}'"), await page.Locator("#attempts tbody tr").CountAsync());
        Assert.Equal(await page.Locator("#attempts tbody tr").CountAsync(), await page.Locator("#attempts .bar.completed").CountAsync());

        await page.FillAsync("#token", LiveGrid.AdminToken);
        await page.ClickAsync($"#dlq button[data-id='{grid.DeadLetterId}']");
        await page.WaitForSelectorAsync("#dlq-message:has-text('requeued')");

        Assert.Equal(counts.DeadLetters - 1, (await grid.Queue.GetCountsAsync()).DeadLetters);
        Assert.Equal(Core.TaskState.Pending, (await grid.Queue.GetAsync(grid.DeadLetterId))!.State);
        await page.WaitForSelectorAsync("#dlq-size:text-is('0')");
        Assert.Empty(errors); // the page works under its policy
        var screenshot = Repo.Path(".local", "test-artifacts", "dashboard.png");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        // A completed task's detail links its result's page: the forest plot and its table, under the same policy.
        await page.ClickAsync($"#tasks button[data-task='{LiveGrid.ComparisonId}']");
        await page.ClickAsync("#task-results a");
        await page.WaitForSelectorAsync("svg[role=img]");
        Assert.Equal("0.0271", (await page.Locator("tbody tr:has(td:text-is('market')) td:nth-child(2)").InnerTextAsync()).Trim());
        Assert.Empty(errors);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repo.Path(".local", "test-artifacts", "results-page.png"), FullPage = true });

        // The regressions panel links a model's history across versions; an Elo run has its rating histories.
        await page.GoBackAsync();
        await page.WaitForSelectorAsync("body[data-loaded=true]");
        await page.ClickAsync("#regressions a:text-is('elo')");
        await page.WaitForSelectorAsync("svg[role=img]");
        Assert.Contains("elo v2 is worse than v1", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repo.Path(".local", "test-artifacts", "model-versions.png"), FullPage = true });
        await page.GotoAsync($"{grid.Url}/elo/{LiveGrid.EloRunId}?teams=KC,BUF");
        Assert.Equal(2, await page.Locator("svg polyline").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repo.Path(".local", "test-artifacts", "elo-history.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task EveryKindsResultsPage_RendersInChromium_WithThePostgresRowsNumbers_AndNoConsoleError()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 1000 } });
        var errors = Chromium.Errors(page);

        foreach (var fixture in ResultFixtures.All)
        {
            await page.GotoAsync($"{grid.Url}/results/{fixture.TaskId}");
            var shown = System.Text.Json.JsonDocument.Parse(await page.Locator("#report-data").TextContentAsync() ?? "[]").RootElement[0].GetProperty("result");
            await using var command = grid.Owner.CreateCommand("SELECT result::text FROM results WHERE task_id = @id");
            command.Parameters.AddWithValue("id", fixture.TaskId);
            var stored = (string)(await command.ExecuteScalarAsync())!;
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(stored), System.Text.Json.Nodes.JsonNode.Parse(shown.GetRawText())), $"{fixture.Kind}: the page's numbers are not Postgres's");
            Assert.True(await page.Locator("svg[role=img]").CountAsync() > 0, $"{fixture.Kind}: no chart");
            Assert.True(await page.Locator("table tbody tr").CountAsync() > 0, $"{fixture.Kind}: no table");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repo.Path(".local", "test-artifacts", $"result-{fixture.Kind}.png"), FullPage = true });
        }

        Assert.Empty(errors); // each page works under the dashboard's policy
    }

    [Fact]
    public async Task Requeue_WithoutTheToken_IsRefused()
    {
        using var http = new HttpClient();
        using var refused = await http.PostAsync(new Uri($"{grid.Url}/api/dlq/{grid.DeadLetterId}/requeue"), null);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<int> CountAsync(string sql)
    {
        await using var command = grid.Owner.CreateCommand(sql);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }
}
