using System.ComponentModel.DataAnnotations;
using NflCompute.Core.Configuration;
using Npgsql;

namespace NflCompute.Storage;

/// <summary>How to reach Postgres. Bound from configuration section <c>Postgres</c> (<c>NFLC_Postgres__*</c>).</summary>
public sealed class PostgresOptions : IValidatableObject
{
    /// <summary>The default of <see cref="Port"/>: Postgres's own.</summary>
    public const int DefaultPort = 5432;

    /// <summary>The default of <see cref="MaxPoolSize"/>.</summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>Host name or address.</summary>
    /// <value>The default is 127.0.0.1.</value>
    [NotBlank("give a host name or address")]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port.</summary>
    /// <value>The default is 5432.</value>
    [InRange(1, 65535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>Database.</summary>
    /// <value>The default is nflcompute.</value>
    [NotBlank("name the grid's database")]
    public string Database { get; set; } = "nflcompute";

    /// <summary>User: the migrations owner, a worker or the read-only dashboard role.</summary>
    /// <value>The default is postgres.</value>
    [NotBlank("name the role to log in as")]
    public string Username { get; set; } = "postgres";

    /// <summary>The password; none by default. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password, e.g. a mounted secret; read when connecting.</summary>
    [ExistingFile]
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
    [ExistingFile]
    public string? RootCertificateFile { get; set; }

    /// <summary>The TLS mode connections use: <see cref="SslMode"/>, or its default for <see cref="Host"/>.</summary>
    public SslMode EffectiveSslMode => SslMode ?? (Core.Hosts.IsLoopback(Host) ? Npgsql.SslMode.Prefer : Npgsql.SslMode.VerifyFull);

    /// <summary>Most pooled connections.</summary>
    /// <value>The default is 20.</value>
    [InRange(1, 1000)]
    public int MaxPoolSize { get; set; } = DefaultMaxPoolSize;

    /// <summary>
    /// Prepare the statements a process runs repeatedly, once per connection. Default true; false
    /// behind a pooler that hands a session's statements to other server connections (PgBouncer in
    /// transaction mode before 1.21).
    /// </summary>
    public bool PrepareStatements { get; set; } = true;

    /// <summary>Problems with these settings, each naming <c>PostgresOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate() => SettingsValidator.Problems(this);

    /// <summary>The rule across settings; the attributes check the rest.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (Password is not null && PasswordFile is not null)
        {
            yield return new ValidationResult("PostgresOptions.Password and PostgresOptions.PasswordFile are both set; choose one.");
        }
    }

    /// <summary>The settings with the password masked.</summary>
    public override string ToString() =>
        $"Postgres {Username}@{Host}:{Port}/{Database} ssl={EffectiveSslMode} password={(Password is null && PasswordFile is null ? "none" : "***")}";
}
