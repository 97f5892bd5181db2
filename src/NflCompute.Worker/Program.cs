using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NflCompute.Worker;

// nflc-worker: settings from appsettings.json, then NFLC_* environment variables (NFLC_Redis__Configuration),
// then flags (--Worker:Concurrency=4), each overriding the one before.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = false });
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
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Worker.GracePeriod + TimeSpan.FromSeconds(10));
builder.Services.AddSingleton(settings);
builder.Services.AddHostedService<WorkerService>();
await builder.Build().RunAsync().ConfigureAwait(false);
