using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using NflCompute.Core.Errors;
using NflCompute.Queue;
using NflCompute.Storage.Reads;
using Prometheus;

namespace NflCompute.Dashboard;

/// <summary>
/// The dashboard web app: the page and its assets (embedded), a JSON API the page polls, the
/// grid-wide Prometheus gauges on /metrics, and one mutating action (requeue a dead letter) behind
/// the admin token. Reads Postgres through the data source it is given: the read-only role.
/// </summary>
public static class DashboardHost
{
    /// <summary>Builds the app; <c>app.Urls</c> holds the bound address once started (a port of 0 picks a free one).</summary>
    /// <exception cref="OptionsValidationException">A setting cannot work.</exception>
    public static WebApplication Build(DashboardOptions options, TaskQueue queue, NpgsqlDataSource reader, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidationException.ThrowIfAny(options.Validate());
        var token = options.ResolveToken();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        var app = builder.Build();
        var sampler = new GridSampler(queue, options);
        var reads = new GridReads(reader, queue.Options.Namespace);
        var sampling = Task.CompletedTask;
        app.Lifetime.ApplicationStarted.Register(() => sampling = sampler.RunAsync(app.Lifetime.ApplicationStopping));
        app.Lifetime.ApplicationStopping.Register(() => sampling.Wait(TimeSpan.FromSeconds(5)));

        UseSignIn(app, options, token);
        MapAssets(app);
        MapReportPages(app, reads);
        MapQueueApi(app, queue, sampler, token);
        MapHistoryApi(app, queue, reads, options);
        app.MapMetrics("/metrics", new GridMetrics(sampler, reads.RegressionCountAsync).Registry);
        return app;
    }

    // Every response gets the security headers; off loopback, every route but the login needs the
    // admin token (a cookie after signing in, or the Authorization header).
    private static void UseSignIn(WebApplication app, DashboardOptions options, string? token)
    {
        app.Use(async (context, next) =>
        {
            SecurityHeaders(context.Response.Headers);
            if (options.RequiresToken && !IsSignedIn(context.Request, token!) && context.Request.Path.Value is not ("/login" or "/style.css"))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                if (context.Request.Path == "/")
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.Body.WriteAsync(LoginPage).ConfigureAwait(false);
                }

                return;
            }

            await next(context).ConfigureAwait(false);
        });

        // Off loopback a browser signs in once: the token, checked, goes into a cookie only this
        // site sends and no script can read. Mutations still need the Authorization header.
        app.MapPost("/login", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            if (token is null || !SameSecret(form["token"].ToString(), token))
            {
                return Results.Text(System.Text.Encoding.UTF8.GetString(LoginPage), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            request.HttpContext.Response.Cookies.Append(SessionCookie, token, new CookieOptions { HttpOnly = true, Secure = request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/" });
            return Results.Redirect("/");
        });
    }

    private static void MapAssets(WebApplication app)
    {
        foreach (var (path, file, type) in new[] { ("/", "index.html", "text/html; charset=utf-8"), ("/app.js", "app.js", "text/javascript; charset=utf-8"), ("/style.css", "style.css", "text/css; charset=utf-8") })
        {
            var bytes = Asset(file);
            app.MapGet(path, () => Results.Bytes(bytes, type));
        }

        app.MapGet("/favicon.ico", () => Results.NoContent()); // browsers ask; there is none
    }

    // What Redis holds now: counts, workers, the DLQ (and its requeue, with the admin token), running tasks, schedules.
    private static void MapQueueApi(WebApplication app, TaskQueue queue, GridSampler sampler, string? token)
    {
        app.MapGet("/api/overview", async () =>
        {
            var s = await sampler.LatestAsync().ConfigureAwait(false);
            return Results.Json(new
            {
                at = s.At,
                counts = s.Counts,
                oldestAgeSeconds = s.Overview.OldestPendingSince.ToDictionary(p => p.Key, p => p.Value is { } since ? Math.Max(0, (s.At - since).TotalSeconds) : (double?)null),
                pendingBySubmitter = s.Overview.PendingBySubmitter,
                workers = s.Overview.Workers.Select(w => new { id = w.WorkerId, profile = w.Profile, heartbeatAgeSeconds = s.HeartbeatAgeOf(w), expiresAt = w.ExpiresAt }),
                readOnly = token is null,
            });
        });
        app.MapGet("/api/history", () => Results.Json(sampler.History.Select(s => new { at = s.At, pending = s.Counts.Pending, running = s.Counts.Running, delayed = s.Counts.Delayed, deadLetters = s.Counts.DeadLetters, workers = s.Overview.Workers.Count })));
        app.MapGet("/api/dlq", async () => Results.Json(await queue.ListDeadLettersAsync(0, 100).ConfigureAwait(false)));
        // In flight, from Redis: Postgres records an attempt when it ends.
        app.MapGet("/api/running", async () => Results.Json(await queue.ListRunningAsync(50).ConfigureAwait(false)));
        app.MapPost("/api/dlq/{id}/requeue", async (string id, HttpRequest request) =>
        {
            if (token is null)
            {
                return Results.Json(new { error = "This dashboard is read-only: set Dashboard:AdminToken (or AdminTokenFile) to allow requeues." }, statusCode: StatusCodes.Status403Forbidden);
            }

            if (!SameSecret(request.Headers.Authorization.ToString(), "Bearer " + token))
            {
                return Results.Json(new { error = "Wrong or missing admin token (Authorization: Bearer <token>)." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            try
            {
                await queue.RequeueDeadLetterAsync(id).ConfigureAwait(false);
                await sampler.SampleAsync().ConfigureAwait(false);
                return Results.Json(new { requeued = id });
            }
            catch (Exception e) when (e is TaskNotFoundException or InvalidTaskStateException or ArgumentException)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status404NotFound);
            }
        });
        app.MapGet("/api/schedules", async () => Results.Json(await queue.ListSchedulesAsync().ConfigureAwait(false)));
    }

    // What Postgres holds: task history, attempts, latency, model metrics and regressions.
    private static void MapHistoryApi(WebApplication app, TaskQueue queue, GridReads reads, DashboardOptions options)
    {
        app.MapGet("/api/tasks", async (CancellationToken ct) => Results.Json(await reads.RecentTasksAsync(ct).ConfigureAwait(false)));
        app.MapGet("/api/tasks/{id}", async (string id, CancellationToken ct) =>
        {
            var task = await reads.TaskAsync(id, ct).ConfigureAwait(false);
            if (task is null)
            {
                return Results.Json(new { error = $"task {id} has no history in Postgres" }, statusCode: StatusCodes.Status404NotFound);
            }

            // What Redis holds of it now (until its retention ends): state, submitter, parents and the failed ones it ignored.
            var live = TaskIds.IsValid(id) ? await queue.GetAsync(id).ConfigureAwait(false) : null;
            return Results.Json(new
            {
                task,
                attempts = await reads.AttemptsAsync(id, ct).ConfigureAwait(false),
                traceUrl = options.TraceLink(task["traceId"] as string),
                live = live is null ? null : new { state = live.State.ToString(), live.Submitter, live.Parents, failedParents = live.FailedParents.Select(f => new { f.Id, state = f.State.ToString(), f.Reason }) },
            });
        });
        app.MapGet("/api/latency", async (CancellationToken ct) => Results.Json(await reads.LatencyAsync(ct).ConfigureAwait(false)));
        app.MapGet("/api/models", async (CancellationToken ct) => Results.Json(new
        {
            metrics = await reads.ModelMetricsAsync(ct).ConfigureAwait(false),
            regressions = await reads.RegressionsAsync(ct).ConfigureAwait(false),
        }));
    }

    private const string SessionCookie = "nflc-token";

    // The chart pages: a task's result, a model across its versions, an Elo run's ratings; each the
    // report renderer's page, styled from /report.css so the Content-Security-Policy holds.
    private static void MapReportPages(WebApplication app, GridReads reads)
    {
        app.MapGet("/report.css", () => Results.Text(Reports.ResultReport.Css, "text/css; charset=utf-8"));

        // A task's result as charts and tables: the page nflc report writes, for one task.
        app.MapGet("/results/{id}", async (string id, CancellationToken ct) =>
        {
            if (await reads.ResultAsync(id, ct).ConfigureAwait(false) is not { } result)
            {
                return Results.Text($"Task {System.Net.WebUtility.HtmlEncode(id)} has no result in Postgres.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }

            return Results.Text(Reports.ResultReport.Html([new Reports.ReportedResult(id, result.Kind, result.Json)], $"{result.Kind} {id}", stylesheet: "/report.css"), "text/html; charset=utf-8");
        });
        // A model across its versions, and teams' Elo ratings through an elo-ratings run.
        app.MapGet("/models/{model}", async (string model, CancellationToken ct) =>
        {
            var versions = (await reads.ModelVersionsAsync(model, ct).ConfigureAwait(false))
                .Select(v => new Reports.VersionPoint((string)v["version"]!, (string)v["rule"]!, (double)v["meanLoss"]!, new DateTimeOffset((DateTime)v["registeredAt"]!, TimeSpan.Zero))).ToList();
            var regressions = (await reads.RegressionsOfAsync(model, ct).ConfigureAwait(false))
                .Select(r => new Reports.RegressionPoint((string)r["version"]!, (string)r["comparedTo"]!, (string)r["evidence"]!)).ToList();
            return Results.Text(Reports.ResultReport.Page($"{model} by version", Reports.ResultReport.VersionHistory(model, versions, regressions), new { model, versions, regressions }, "/report.css"), "text/html; charset=utf-8");
        });
        app.MapGet("/elo/{run}", async (string run, string? teams, CancellationToken ct) =>
        {
            var chosen = (teams ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var points = (await reads.EloHistoryAsync(run, chosen, ct).ConfigureAwait(false))
                .Select(p => new Reports.RatingPoint((string)p["team"]!, (int)p["season"]!, (double)p["rating"]!)).ToList();
            return Results.Text(Reports.ResultReport.Page($"Elo ratings, run {run}", Reports.ResultReport.EloHistory(points), new { run, points }, "/report.css"), "text/html; charset=utf-8");
        });
    }

    private static readonly byte[] LoginPage = Asset("login.html");

    // Every response: scripts and styles only from this site (the page has no inline ones), no
    // framing, no sniffing, no referrer; API answers are never cached.
    private static void SecurityHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    private static bool IsSignedIn(HttpRequest request, string token) =>
        SameSecret(request.Headers.Authorization.ToString(), "Bearer " + token)
        || (request.Cookies.TryGetValue(SessionCookie, out var cookie) && SameSecret(cookie, token));

    private static bool SameSecret(string given, string expected) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(expected));

    private static byte[] Asset(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + file)
            ?? throw new InvalidOperationException($"wwwroot/{file} is not embedded in NflCompute.Dashboard.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
