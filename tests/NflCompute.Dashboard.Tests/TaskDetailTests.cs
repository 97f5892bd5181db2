using System.Net;
using System.Text.Json;

namespace NflCompute.Dashboard.Tests;

/// <summary>/api/tasks/{id}: a task's row with its trace id and link, and its attempts from Postgres.</summary>
public sealed class TaskDetailTests(LiveGrid grid) : IClassFixture<LiveGrid>
{
    [Fact]
    public async Task ATracedTask_ShowsItsTraceLink_AndEveryAttemptPostgresHolds()
    {
        using var http = new HttpClient { BaseAddress = new Uri(grid.Url) };
        var body = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/tasks/{grid.TracedId}", UriKind.Relative))).RootElement;

        Assert.Equal(LiveGrid.TraceId, body.GetProperty("task").GetProperty("traceId").GetString());
        Assert.Equal($"https://traces.example/trace/{LiveGrid.TraceId}?from=nflc", body.GetProperty("traceUrl").GetString());
        var live = body.GetProperty("live");
        Assert.Equal(("Completed", LiveGrid.Submitter, 0), (live.GetProperty("state").GetString(), live.GetProperty("submitter").GetString(), live.GetProperty("parents").GetArrayLength()));
        await using var command = grid.Owner.CreateCommand("SELECT string_agg(attempt || ':' || worker_id || ':' || status, ',' ORDER BY attempt) FROM task_attempts WHERE task_id = @id");
        command.Parameters.AddWithValue("id", grid.TracedId);
        var expected = (string)(await command.ExecuteScalarAsync())!;
        Assert.Equal(expected, string.Join(',', body.GetProperty("attempts").EnumerateArray().Select(a => $"{a.GetProperty("attempt").GetInt32()}:{a.GetProperty("workerId").GetString()}:{a.GetProperty("status").GetString()}")));
    }

    [Fact]
    public async Task AnUntracedTask_HasNoLink_AndAnUnknownOneIsNotFound()
    {
        using var http = new HttpClient { BaseAddress = new Uri(grid.Url) };
        var untraced = await UntracedIdAsync();
        var body = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/tasks/{untraced}", UriKind.Relative))).RootElement;
        using var unknown = await http.GetAsync(new Uri("/api/tasks/00000000000000000000", UriKind.Relative));

        Assert.Equal(JsonValueKind.Null, body.GetProperty("task").GetProperty("traceId").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("traceUrl").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no history", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://traces.example/trace")]
    [InlineData("ftp://traces.example/{traceId}")]
    [InlineData("not a url {traceId}")]
    public void ATraceLinkTemplate_WithoutThePlaceholderOrNotHttp_IsRefused(string template)
    {
        var problems = new DashboardOptions { TraceLinkTemplate = template }.Validate();

        Assert.Contains(problems, p => p.Contains("DashboardOptions.TraceLinkTemplate", StringComparison.Ordinal) && p.Contains("{traceId}", StringComparison.Ordinal));
    }

    private async Task<string> UntracedIdAsync()
    {
        await using var command = grid.Owner.CreateCommand("SELECT task_id FROM tasks WHERE trace_id IS NULL LIMIT 1");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task AResultsPage_ShowsTheTasksResultFromPostgres_AsChartAndTable_UnderTheDashboardsPolicy()
    {
        using var http = new HttpClient { BaseAddress = new Uri(grid.Url) };
        using var page = await http.GetAsync(new Uri($"/results/{LiveGrid.ComparisonId}", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        using var missing = await http.GetAsync(new Uri("/results/00000000000000000000", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/report.css\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style>", html, StringComparison.Ordinal); // inline style would break the policy
        Assert.Contains("<td>market</td><td>0.0271</td><td>0.0082</td><td>0.044</td><td>0.009</td>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
    [Fact]
    public async Task AModelsVersionPage_PlotsItsVersions_AndTellsEachRegressionInWords()
    {
        using var http = new HttpClient { BaseAddress = new Uri(grid.Url) };
        var html = await http.GetStringAsync(new Uri("/models/elo", UriKind.Relative));

        Assert.Contains("<td>v1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>0.2201</td><td></td></tr>", html, StringComparison.Ordinal); // v1, no regression
        Assert.Contains("<td>0.2243</td><td>regression (vermilion)</td>", html, StringComparison.Ordinal);
        Assert.Contains("elo v2 is worse than v1 (previous version) by 0.0042 in mean loss: new 0.2243, old 0.2201, one-sided permutation p 0.0001, Holm-adjusted 0.0002, BCa interval of the difference 0.002 to 0.0063, over 4145 games.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEloHistoryPage_ShowsEachTeamsRatingAtEachSeasonsEnd()
    {
        using var http = new HttpClient { BaseAddress = new Uri(grid.Url) };
        var html = await http.GetStringAsync(new Uri($"/elo/{LiveGrid.EloRunId}?teams=KC,BUF", UriKind.Relative));

        // 2023: KC after its week-18 game, BUF after week 1; 2024: both after week 2.
        Assert.Contains("<tr><td>2023</td><td>1560.0</td><td>1612.5</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>2024</td><td>1580.0</td><td>1603.8</td></tr>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<polyline ").Length - 1);
    }
}
