using System.ComponentModel.DataAnnotations;
using NflCompute.Core.Configuration;

namespace NflCompute.Dashboard;

/// <summary>How the dashboard runs. Bound from configuration section <c>Dashboard</c> (<c>NFLC_Dashboard__*</c>).</summary>
public sealed class DashboardOptions : IValidatableObject
{
    /// <summary>The default of <see cref="SampleInterval"/>.</summary>
    public static readonly TimeSpan DefaultSampleInterval = TimeSpan.FromSeconds(2);

    /// <summary>The default of <see cref="HistoryLength"/>.</summary>
    public const int DefaultHistoryLength = 900;

    /// <summary>Where it listens.</summary>
    /// <value>The default is http://127.0.0.1:8080.</value>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// The token mutating actions (requeue) need, as <c>Authorization: Bearer &lt;token&gt;</c>;
    /// none by default, which makes the dashboard read-only. Never logged.
    /// </summary>
    public string? AdminToken { get; set; }

    /// <summary>A file holding the admin token (a mounted secret), instead of <see cref="AdminToken"/>.</summary>
    [ExistingFile]
    public string? AdminTokenFile { get; set; }

    /// <summary>
    /// Serve plain HTTP on an address off loopback. Default false: there the dashboard shows the
    /// DLQ's errors and the workers, and takes the admin token, so it must speak HTTPS (or sit
    /// behind a TLS proxy, which is when to set this).
    /// </summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>
    /// Whether every route needs the admin token: when the dashboard listens off loopback (a
    /// browser signs in once at /login; scrapers send <c>Authorization: Bearer</c>).
    /// </summary>
    public bool RequiresToken => Uri.TryCreate(Url, UriKind.Absolute, out var url) && !Core.Hosts.IsLoopback(url.Host);

    /// <summary>How often the queue is sampled for the history chart and the exporter.</summary>
    /// <value>The default is 2 s.</value>
    [Duration("00:00:00.1")]
    public TimeSpan SampleInterval { get; set; } = DefaultSampleInterval;

    /// <summary>Samples kept for the history chart.</summary>
    /// <value>The default is 900 (30 minutes at 2 s).</value>
    [InRange(10, 100_000)]
    public int HistoryLength { get; set; } = DefaultHistoryLength;

    /// <summary>
    /// A link to the user's trace viewer for a task's trace, with <c>{traceId}</c> where its W3C
    /// trace id goes, e.g. <c>http://jaeger:16686/trace/{traceId}</c>. Default none: the trace id
    /// is shown without a link.
    /// </summary>
    public string? TraceLinkTemplate { get; set; }

    /// <summary>The link to a trace: <see cref="TraceLinkTemplate"/> filled in, or null.</summary>
    public string? TraceLink(string? traceId) =>
        TraceLinkTemplate is null || traceId is null ? null : TraceLinkTemplate.Replace("{traceId}", Uri.EscapeDataString(traceId), StringComparison.Ordinal);

    /// <summary>Problems with these settings, each naming <c>DashboardOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate() => SettingsValidator.Problems(this);

    /// <summary>The rules across settings; the attributes check the rest.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return new($"DashboardOptions.Url '{Url}' is not an http(s) URL.");
        }

        if (AdminToken is not null && AdminTokenFile is not null)
        {
            yield return new("DashboardOptions.AdminToken and DashboardOptions.AdminTokenFile are both set; choose one.");
        }

        var token = AdminTokenFile is null || File.Exists(AdminTokenFile) ? ResolveToken() : null;
        if (token is { Length: < 16 })
        {
            yield return new($"DashboardOptions.{(AdminToken is null ? "AdminTokenFile holds a token" : "AdminToken is")} shorter than 16 characters.");
        }

        if (RequiresToken && token is null)
        {
            yield return new($"DashboardOptions.Url '{Url}' is off loopback, where every route needs the admin token: set Dashboard:AdminToken or Dashboard:AdminTokenFile.");
        }

        if (RequiresToken && url?.Scheme == "http" && !AllowPlainHttp)
        {
            yield return new($"DashboardOptions.Url '{Url}' serves plain HTTP off loopback, which would send the admin token and the grid's errors in the clear: use https, or set Dashboard:AllowPlainHttp=true behind a TLS proxy.");
        }

        if (TraceLinkTemplate is not null && (!TraceLinkTemplate.Contains("{traceId}", StringComparison.Ordinal)
            || !Uri.TryCreate(TraceLinkTemplate.Replace("{traceId}", "0", StringComparison.Ordinal), UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https")))
        {
            yield return new($"DashboardOptions.TraceLinkTemplate '{TraceLinkTemplate}' must be an http(s) URL with {{traceId}} where the trace id goes.");
        }
    }

    /// <summary>The admin token from the setting or the file; null when read-only.</summary>
    public string? ResolveToken() => AdminToken ?? (AdminTokenFile is null ? null : File.ReadAllText(AdminTokenFile).Trim());
}
