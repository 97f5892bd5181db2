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
}
