using Npgsql;

namespace NflCompute.Storage;

/// <summary>How to reach Postgres. Bound from configuration section <c>Postgres</c> (<c>NFLC_Postgres__*</c>).</summary>
public sealed class PostgresOptions
{
    /// <summary>Host name or address. Default 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port. Default 5432.</summary>
    public int Port { get; set; } = 5432;

    /// <summary>Database. Default nflcompute.</summary>
    public string Database { get; set; } = "nflcompute";

    /// <summary>User: the migrations owner, a worker or the read-only dashboard role. Default postgres.</summary>
    public string Username { get; set; } = "postgres";

    /// <summary>The password; none by default. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password, e.g. a mounted secret; read when connecting.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// TLS: Disable, Prefer, Require, VerifyCA or VerifyFull. Default: VerifyFull for a server off
    /// loopback (encrypted, and the server must prove its name against a trusted CA), Prefer on
    /// loopback. See <see cref="EffectiveSslMode"/>.
    /// </summary>
    public SslMode? SslMode { get; set; }

    /// <summary>
    /// The CA certificate (PEM) the server's certificate must chain to, e.g. a private CA's;
    /// none by default (the system's trusted roots).
    /// </summary>
    public string? RootCertificateFile { get; set; }

    /// <summary>The TLS mode connections use: <see cref="SslMode"/>, or its default for <see cref="Host"/>.</summary>
    public SslMode EffectiveSslMode => SslMode ?? (Core.Hosts.IsLoopback(Host) ? Npgsql.SslMode.Prefer : Npgsql.SslMode.VerifyFull);

    /// <summary>Most pooled connections. Default 20.</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>
    /// Prepare the statements a process runs repeatedly, once per connection. Default true; false
    /// behind a pooler that hands a session's statements to other server connections (PgBouncer in
    /// transaction mode before 1.21).
    /// </summary>
    public bool PrepareStatements { get; set; } = true;

    /// <summary>Problems with these settings, each naming <c>PostgresOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add("PostgresOptions.Host is empty.");
        }

        if (Port is < 1 or > 65535)
        {
            problems.Add($"PostgresOptions.Port is {Port}; it must be in 1..65535.");
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            problems.Add("PostgresOptions.Database is empty.");
        }

        if (string.IsNullOrWhiteSpace(Username))
        {
            problems.Add("PostgresOptions.Username is empty.");
        }

        if (Password is not null && PasswordFile is not null)
        {
            problems.Add("PostgresOptions.Password and PostgresOptions.PasswordFile are both set; choose one.");
        }

        if (PasswordFile is not null && !File.Exists(PasswordFile))
        {
            problems.Add($"PostgresOptions.PasswordFile '{PasswordFile}' does not exist.");
        }

        if (RootCertificateFile is not null && !File.Exists(RootCertificateFile))
        {
            problems.Add($"PostgresOptions.RootCertificateFile '{RootCertificateFile}' does not exist.");
        }

        if (MaxPoolSize is < 1 or > 1000)
        {
            problems.Add($"PostgresOptions.MaxPoolSize is {MaxPoolSize}; it must be in 1..1000.");
        }

        return problems;
    }

    /// <summary>The settings with the password masked.</summary>
    public override string ToString() =>
        $"Postgres {Username}@{Host}:{Port}/{Database} ssl={EffectiveSslMode} password={(Password is null && PasswordFile is null ? "none" : "***")}";
}
