using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NflCompute.Worker;
using NflCompute.Worker.Observability;

// nflc-worker: settings from appsettings.json, then NFLC_* environment variables (NFLC_Redis__Configuration),
// then flags (--Worker:Concurrency=4), each overriding the one before.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
builder.Configuration.AddEnvironmentVariables("NFLC_");
builder.Configuration.AddCommandLine(args);
builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(o =>
{
    o.IncludeScopes = true;
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
});
var settings = WorkerSettings.Bind(builder.Configuration);
builder.WebHost.UseUrls(settings.Worker.MetricsUrl);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Worker.GracePeriod + TimeSpan.FromSeconds(10));
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<WorkerMetrics>();
builder.Services.AddSingleton(_ => new PrometheusExporter(WorkerMetrics.MeterName, NflCompute.Jobs.JobMetrics.MeterName));
builder.Services.AddSingleton<WorkerRuntime>();
builder.Services.AddHostedService<WorkerService>();

var app = builder.Build();

// The exporter listens from the start: measurements made before the first scrape still count.
_ = app.Services.GetRequiredService<PrometheusExporter>();
app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"));
app.MapGet("/health", async (WorkerRuntime runtime, CancellationToken cancellationToken) =>
{
    var (healthy, report) = await runtime.CheckAsync(cancellationToken).ConfigureAwait(false);
    return Results.Json(report, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
});
await app.RunAsync().ConfigureAwait(false);
