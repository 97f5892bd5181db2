using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Dashboard;
using NflCompute.Queue.Redis;
using NflCompute.Storage;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc dashboard</c>: the web dashboard and the grid-wide /metrics.</summary>
internal static class DashboardCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "Where to listen (Dashboard:Url, default http://127.0.0.1:8080)." };
        var command = new Command("dashboard", """
            Serve the dashboard: queue depth per class with its history, oldest waiting task, workers and
            their last heartbeat, the dead-letter queue (requeue with Dashboard:AdminToken), recent tasks,
            latency percentiles, model metrics and regressions; and the grid-wide Prometheus gauges on
            /metrics. It reads Postgres as the read-only role nflc_reader: its password comes from
            Dashboard:ReaderPasswordFile, or (on a local grid) is generated into .local/ and set once.

            Examples:
              nflc dashboard
              NFLC_Dashboard__AdminTokenFile=/run/secrets/nflc-admin nflc dashboard --url http://0.0.0.0:8080
            """)
        { url };
        CliContext.Run(command, async (cli, parse, _) =>
        {
            var options = cli.Settings.Configuration.GetSection("Dashboard").Get<DashboardOptions>() ?? new DashboardOptions();
            options.Url = parse.GetValue(url) ?? options.Url;
            var readerFile = cli.Settings.Configuration["Dashboard:ReaderPasswordFile"] ?? await LocalReaderPasswordAsync(cli).ConfigureAwait(false);
            var p = cli.Settings.Postgres;
            var readerOptions = new PostgresOptions { Host = p.Host, Port = p.Port, Database = p.Database, Username = StorageRoles.Reader, PasswordFile = readerFile, SslMode = p.SslMode, MaxPoolSize = 5 };
            var reader = PostgresDataSource.Create(readerOptions);
            await using (reader.ConfigureAwait(false))
            {
                var redis = await RedisGateway.ConnectAsync(cli.Settings.Redis).ConfigureAwait(false);
                await using (redis.ConfigureAwait(false))
                {
                    var app = DashboardHost.Build(options, new Queue.TaskQueue(redis, cli.Settings.Queue), reader);
                    await app.StartAsync().ConfigureAwait(false);
                    cli.Console.MarkupLineInterpolated($"Dashboard on [link]{app.Urls.First()}[/] (metrics at /metrics), reading Postgres as {StorageRoles.Reader}; {(options.ResolveToken() is null ? "read-only" : "requeue needs the admin token")}. Ctrl-C stops it.");
                    await app.WaitForShutdownAsync().ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
            }
        });
        return command;
    }

    // On a local grid: a generated nflc_reader password in .local/ (readable by its owner only), set once with the owner's connection.
    private static async Task<string> LocalReaderPasswordAsync(CliContext cli)
    {
        var root = Checkout.Find() ?? throw new OptionsValidationException(["Dashboard:ReaderPasswordFile is not set; the dashboard reads Postgres as nflc_reader and needs its password."]);
        var file = Path.Combine(root, ".local", "nflc_reader.password");
        if (!File.Exists(file))
        {
            await File.WriteAllTextAsync(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        var owner = cli.OpenPostgres();
        await using (owner.ConfigureAwait(false))
        {
            await StorageRoles.SetLoginAsync(owner, StorageRoles.Reader, (await File.ReadAllTextAsync(file).ConfigureAwait(false)).Trim()).ConfigureAwait(false);
        }

        return file;
    }
}
