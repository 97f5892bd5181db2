using System.ComponentModel.DataAnnotations;
using NflCompute.Core.Configuration;

namespace NflCompute.Queue;

/// <summary>How to reach Redis. Bound from configuration section <c>Redis</c> (<c>NFLC_Redis__*</c>).</summary>
public sealed class RedisOptions : IValidatableObject
{
    /// <summary>The default of <see cref="ReconnectBackoff"/>.</summary>
    public static readonly TimeSpan DefaultReconnectBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>The default of <see cref="ReconnectMaxBackoff"/>.</summary>
    public static readonly TimeSpan DefaultReconnectMaxBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The default of <see cref="WaitForReplicasTimeout"/>.</summary>
    public static readonly TimeSpan DefaultWaitForReplicasTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A StackExchange.Redis configuration string: endpoints and flags, e.g.
    /// <c>10.0.0.5:6379,connectTimeout=5000</c>; sentinels with the master's name,
    /// <c>10.0.0.7:26379,10.0.0.8:26379,serviceName=nflc</c>; or any nodes of a Redis Cluster.
    /// Put no password here; use <see cref="Password"/> or <see cref="PasswordFile"/>.
    /// </summary>
    /// <value>The default is <c>127.0.0.1:6379</c>.</value>
    [NotBlank("give host:port, e.g. 127.0.0.1:6379")]
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>The ACL user to log in as (AUTH user password); none = the default user.</summary>
    public string? User { get; set; }

    /// <summary>The Redis password (AUTH); none by default. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the Redis password, e.g. a mounted secret; read at connect time.</summary>
    [ExistingFile]
    public string? PasswordFile { get; set; }

    /// <summary>Connect with TLS. Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>The name the server's TLS certificate must carry, when it is not the endpoint's host.</summary>
    public string? TlsHost { get; set; }

    /// <summary>A PEM file of the CA that signs the server's certificate (a private CA); none = the system's roots.</summary>
    [ExistingFile]
    public string? TlsCaFile { get; set; }

    /// <summary>
    /// The first wait before reconnecting a lost connection; later waits grow by 10% per try, drawn
    /// at random between this and the current bound, up to <see cref="ReconnectMaxBackoff"/>.
    /// </summary>
    /// <value>The default is 100 ms.</value>
    public TimeSpan ReconnectBackoff { get; set; } = DefaultReconnectBackoff;

    /// <summary>The longest wait between reconnect attempts.</summary>
    /// <value>The default is 1 s.</value>
    public TimeSpan ReconnectMaxBackoff { get; set; } = DefaultReconnectMaxBackoff;

    /// <summary>
    /// Replicas that must have a submission or a completion before it is acknowledged (Redis
    /// <c>WAIT</c> after the script), so that it survives a failover; 0 (the default) acknowledges
    /// once the master has it, as Redis's asynchronous replication does. Each such call then waits
    /// for a replica's round trip, and holds the connection's other calls behind it meanwhile.
    /// </summary>
    [InRange(0, 16)]
    public int WaitForReplicas { get; set; }

    /// <summary>How long to wait for <see cref="WaitForReplicas"/>; past it the call fails as unavailable.</summary>
    /// <value>The default is 1 s.</value>
    public TimeSpan WaitForReplicasTimeout { get; set; } = DefaultWaitForReplicasTimeout;

    /// <summary>Problems with these settings, each naming <c>RedisOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate() => SettingsValidator.Problems(this);

    /// <summary>The rules across settings; the attributes check the rest.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (Configuration?.Contains("password=", StringComparison.OrdinalIgnoreCase) == true)
        {
            yield return new("RedisOptions.Configuration contains a password; set RedisOptions.Password or RedisOptions.PasswordFile instead, so it is never logged.");
        }

        if (Password is not null && PasswordFile is not null)
        {
            yield return new("RedisOptions.Password and RedisOptions.PasswordFile are both set; choose one.");
        }

        if ((TlsHost is not null || TlsCaFile is not null) && !UseTls && Configuration?.Contains("ssl=true", StringComparison.OrdinalIgnoreCase) != true)
        {
            yield return new("RedisOptions.TlsHost or TlsCaFile is set but TLS is off; set RedisOptions.UseTls to true.");
        }

        if (ReconnectBackoff < TimeSpan.FromMilliseconds(1) || ReconnectMaxBackoff < ReconnectBackoff || ReconnectMaxBackoff > TimeSpan.FromMinutes(1))
        {
            yield return new($"RedisOptions.ReconnectBackoff ({ReconnectBackoff}) must be at least 1 ms and at most RedisOptions.ReconnectMaxBackoff ({ReconnectMaxBackoff}), which must be at most 1 minute.");
        }

        if (WaitForReplicas > 0 && (WaitForReplicasTimeout < TimeSpan.FromMilliseconds(1) || WaitForReplicasTimeout > TimeSpan.FromMinutes(1)))
        {
            yield return new($"RedisOptions.WaitForReplicasTimeout ({WaitForReplicasTimeout}) must be in 1 ms..1 minute.");
        }
    }

    /// <summary>The settings with the password masked.</summary>
    public override string ToString() =>
        $"Redis {Configuration} user={User ?? "default"} tls={UseTls} password={(Password is null && PasswordFile is null ? "none" : "***")}";
}
