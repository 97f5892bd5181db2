using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NflCompute.Jobs;
using NflCompute.Worker.Observability;
using Prometheus;

namespace NflCompute.Worker;

/// <summary>
/// The worker process: settings from appsettings.json, then NFLC_* environment variables
/// (NFLC_Redis__Configuration), then the base settings given (nflc's file, NFLC_* and --set, in
/// that order), then flags (--Worker:Concurrency=4), each overriding the one before; JSON logs;
/// /metrics and /health.
/// Runs until SIGTERM or Ctrl-C.
/// </summary>
public static class WorkerHost
{
    /// <summary>Runs a worker until the process is told to stop.</summary>
    /// <param name="args">Command-line settings (--Worker:Concurrency=4).</param>
    /// <param name="baseSettings">Settings under the command line (nflc's file, NFLC_* and --set).</param>
    /// <param name="customHandlers">Handlers of a modeler's own job kinds, run beside the built-in ones (see samples/CustomJob); a kind the grid ships cannot be taken.</param>
    /// <exception cref="Core.Errors.OptionsValidationException">A setting cannot work; every problem is listed.</exception>
    /// <exception cref="InvalidOperationException">A custom handler takes a built-in kind, or two take one kind.</exception>
    /// <exception cref="Kernels.Devices.DeviceException">The device asked for is absent (the message lists those present) or cannot run the kernels.</exception>
    public static async Task RunAsync(string[] args, IConfiguration? baseSettings = null, IReadOnlyCollection<IJobHandler>? customHandlers = null)
    {
        // A program mistake, found before any wait for a server.
        JobHandlers.ThrowIfCustomTakesBuiltIn(customHandlers ?? []);

        // Settings are read once, at start: no file watcher over the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args] });
        builder.Configuration.AddEnvironmentVariables("NFLC_");
        if (baseSettings is not null)
        {
            // nflc's settings already layer its file, NFLC_* and --set in that order.
            builder.Configuration.AddConfiguration(baseSettings);
        }

        builder.Configuration.AddCommandLine(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        // A line logged inside a traced attempt names its trace and span beside TaskId and CorrelationId.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var settings = WorkerSettings.Bind(builder.Configuration);
        builder.WebHost.UseUrls(settings.Worker.MetricsUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Worker.GracePeriod + TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new CustomJobHandlers(customHandlers ?? []));
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton<WorkerRuntime>();
        builder.Services.AddHostedService<WorkerService>();
        if (WorkerTracing.IsConfigured(Environment.GetEnvironmentVariable))
        {
            builder.Services.AddGridTracing("nflc-worker", settings.Worker.WorkerId);
        }

        var app = builder.Build();

        app.MapMetrics("/metrics", app.Services.GetRequiredService<WorkerMetrics>().Registry);
        app.MapGet("/health", async (WorkerRuntime runtime, CancellationToken cancellationToken) =>
        {
            var (healthy, report) = await runtime.CheckAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(report, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        // A worker that failed (an absent device, a database it cannot reach at start) stops the
        // host; its caller gets the failure instead of a clean exit a supervisor would not restart.
        var service = app.Services.GetServices<IHostedService>().OfType<WorkerService>().Single();
        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new Core.Errors.OptionsValidationException([$"WorkerOptions.MetricsUrl {settings.Worker.MetricsUrl} is in use by another process; give each worker its own port (Worker:MetricsUrl, --metrics-url)."]);
        }

        if (service.ExecuteTask is { IsFaulted: true } failed)
        {
            await failed.ConfigureAwait(false);
        }
    }
}

/// <summary>The handlers of job kinds the grid does not ship, given to <see cref="WorkerHost.RunAsync"/>.</summary>
internal sealed record CustomJobHandlers(IReadOnlyCollection<IJobHandler> Handlers);
