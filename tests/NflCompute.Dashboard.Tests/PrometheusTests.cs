using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using NflCompute.Worker.Observability;

namespace NflCompute.Dashboard.Tests;

/// <summary>deploy/prometheus and deploy/grafana against promtool, a real Prometheus server, and the exporters' output.</summary>
public sealed partial class PrometheusTests(LiveGrid grid) : IClassFixture<LiveGrid>
{
    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{file} did not start; install the prometheus package.");
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task TheScrapeConfigAndAlertRules_PassPromtool()
    {
        var config = await RunAsync("promtool", "check", "config", Repo.Path("deploy", "prometheus", "prometheus.yml"));
        var rules = await RunAsync("promtool", "check", "rules", Repo.Path("deploy", "prometheus", "alerts.yml"));

        Assert.True(config.Code == 0, config.Output);
        Assert.True(rules.Code == 0, rules.Output);
        Assert.Contains("16 rules found", rules.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAlertAndSloRule_PassesItsUnitTests()
    {
        var tests = await RunAsync("promtool", "test", "rules", Repo.Path("deploy", "prometheus", "alerts.test.yml"));

        Assert.True(tests.Code == 0, tests.Output);
        Assert.Contains("SUCCESS", tests.Output, StringComparison.Ordinal);
        // Each alert of alerts.yml is named by at least one test.
        var alerts = AlertNames().Matches(await File.ReadAllTextAsync(Repo.Path("deploy", "prometheus", "alerts.yml"))).Select(m => m.Groups[1].Value).ToList();
        var tested = await File.ReadAllTextAsync(Repo.Path("deploy", "prometheus", "alerts.test.yml"));
        Assert.Equal(9, alerts.Count);
        Assert.All(alerts, a => Assert.Contains("alertname: " + a, tested, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheGridMetrics_PassPromtool()
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(grid.Url + "/metrics"));
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, metrics);

        var check = await RunAsync("bash", "-c", $"promtool check metrics < {file}");
        File.Delete(file);

        Assert.True(check.Code == 0, check.Output + metrics);
        Assert.Contains("nflc_queue_pending{class=\"gpu\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("nflc_workers_live{backend=\"Cuda\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("nflc_regressions 1", metrics, StringComparison.Ordinal);
        Assert.Contains("nflc_queue_paused{class=\"gpu-high\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("nflc_queue_paused{class=\"cpu\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARealPrometheus_ScrapesTheLiveGrid_AndAnswersAQueueDepthQuery()
    {
        var port = FreePort();
        var dir = Directory.CreateTempSubdirectory("nflc-prometheus-");
        var target = new Uri(grid.Url).Authority;
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: nflc-grid
                static_configs:
                  - targets: ["{target}"]
            """);
        var info = new ProcessStartInfo("prometheus", [$"--config.file={dir.FullName}/prometheus.yml", $"--storage.tsdb.path={dir.FullName}/data", $"--web.listen-address=127.0.0.1:{port}"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var prometheus = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start; install the prometheus package.");
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient();
            var query = new Uri($"http://127.0.0.1:{port}/api/v1/query?query=nflc_queue_pending%7Bclass%3D%22gpu%22%7D");
            JsonElement result = default;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                try
                {
                    var body = JsonDocument.Parse(await http.GetStringAsync(query, deadline.Token)).RootElement;
                    result = body.GetProperty("data").GetProperty("result");
                    if (result.GetArrayLength() > 0)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(250, deadline.Token);
            }

            Assert.Equal("1", result[0].GetProperty("value")[1].GetString());
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EveryGrafanaAndAlertExpression_UsesMetricsTheExportersWrite()
    {
        using var http = new HttpClient();
        var names = MetricNames().Matches(await http.GetStringAsync(new Uri(grid.Url + "/metrics"))).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var workerMetrics = new WorkerMetrics();
        workerMetrics.AttemptEnded("noop", "completed", "CpuSimd", 0.1);
        workerMetrics.AttemptFoundDurable("noop");
        workerMetrics.QueueWaited("cpu", 0.02);
        workerMetrics.Claimed(1);
        workerMetrics.HeartbeatSent();
        workerMetrics.InFlight(1);
        workerMetrics.BatchPersisted(0.004);
        workerMetrics.CircuitOpen(false);
        workerMetrics.RegressionFound("elo");
        var worker = await TextOfAsync(workerMetrics.Registry);
        names.UnionWith(MetricNames().Matches(worker).Select(m => m.Value));
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, worker);
        var check = await RunAsync("bash", "-c", $"promtool check metrics < {file}");
        File.Delete(file);
        Assert.True(check.Code == 0, check.Output + worker);

        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Repo.Path("deploy", "grafana", "nflcompute-grid.json"))).RootElement;
        var expressions = dashboard.GetProperty("panels").EnumerateArray().SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();

        // The alert rules' expressions too: every metric they read is written by an exporter.
        expressions.AddRange(File.ReadAllLines(Repo.Path("deploy", "prometheus", "alerts.yml")).Where(l => l.TrimStart().StartsWith("expr:", StringComparison.Ordinal) || l.Contains("rate(", StringComparison.Ordinal)));
        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            foreach (Match used in MetricNames().Matches(expression))
            {
                Assert.True(names.Contains(used.Value), $"'{used.Value}' in `{expression}` is not written by any exporter; they write {string.Join(", ", names.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    private static async Task<string> TextOfAsync(Prometheus.CollectorRegistry registry)
    {
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertNames();

    [GeneratedRegex(@"\bnflc_[a-z_]+\b")]
    private static partial Regex MetricNames();
}
