using System.Net;
using NflCompute.Core.Errors;

namespace NflCompute.Dashboard.Tests;

/// <summary>The dashboard off loopback: every route behind the token, HTTPS unless allowed otherwise, the token's length checked.</summary>
public sealed class DashboardSecurityTests(LiveGrid grid) : IClassFixture<LiveGrid>
{
    [Fact]
    public async Task OffLoopback_EveryRouteNeedsTheToken_AndABrowserSignsInOnce()
    {
        await using var app = DashboardHost.Build(new DashboardOptions { Url = "http://0.0.0.0:0", AllowPlainHttp = true, AdminToken = LiveGrid.AdminToken }, grid.Queue, grid.Reader);
        await app.StartAsync();
        var at = new Uri(app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = at };

        foreach (var route in new[] { "/", "/app.js", "/api/overview", "/api/dlq", "/api/running", "/api/tasks", $"/api/tasks/{grid.TracedId}", "/api/schedules", "/metrics" })
        {
            using var refused = await http.GetAsync(new Uri(route, UriKind.Relative));
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{route}: {refused.StatusCode}");
        }

        using (var page = await http.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Contains("Sign in", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var scrape = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative)))
        {
            scrape.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", LiveGrid.AdminToken);
            using var scraped = await http.SendAsync(scrape);
            Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        }

        using (var wrong = await http.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent([new("token", "not-the-token-at-all")])))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var signIn = await http.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent([new("token", LiveGrid.AdminToken)])))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Contains("httponly", string.Join(";", signIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        }

        using var signedIn = await http.GetAsync(new Uri("/api/dlq", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public void OffLoopback_PlainHttp_OrNoToken_OrAShortTokenInAFile_AreRefusedAtStart()
    {
        var shortToken = Path.GetTempFileName();
        File.WriteAllText(shortToken, "too-short\n");
        try
        {
            string Problems(DashboardOptions o) => string.Join(" | ", o.Validate());

            Assert.Contains("AllowPlainHttp", Problems(new DashboardOptions { Url = "http://0.0.0.0:8080", AdminToken = LiveGrid.AdminToken }), StringComparison.Ordinal);
            Assert.Contains("every route needs the admin token", Problems(new DashboardOptions { Url = "https://0.0.0.0:8443" }), StringComparison.Ordinal);
            Assert.Contains("AdminTokenFile holds a token shorter than 16", Problems(new DashboardOptions { AdminTokenFile = shortToken }), StringComparison.Ordinal);
            Assert.Empty(new DashboardOptions { Url = "https://0.0.0.0:8443", AdminToken = LiveGrid.AdminToken }.Validate());
            Assert.Empty(new DashboardOptions { Url = "http://127.0.0.1:8080" }.Validate()); // loopback: open, read-only
            Assert.Throws<OptionsValidationException>(() => DashboardHost.Build(new DashboardOptions { Url = "http://0.0.0.0:0", AdminToken = LiveGrid.AdminToken }, grid.Queue, grid.Reader));
        }
        finally
        {
            File.Delete(shortToken);
        }
    }
}
