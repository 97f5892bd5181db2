namespace NflCompute.Queue;

/// <summary>How to reach Redis. Bound from configuration section <c>Redis</c> (<c>NFLC_Redis__*</c>).</summary>
public sealed class RedisOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string: endpoints and flags, e.g.
    /// <c>10.0.0.5:6379,connectTimeout=5000</c>. Default <c>127.0.0.1:6379</c>. Put no password here;
    /// use <see cref="Password"/> or <see cref="PasswordFile"/>.
    /// </summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>The Redis password (AUTH); none by default. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the Redis password, e.g. a mounted secret; read at connect time.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Connect with TLS. Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>Problems with these settings, each naming <c>RedisOptions.Property</c>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            problems.Add("RedisOptions.Configuration is empty; give host:port, e.g. 127.0.0.1:6379.");
        }
        else if (Configuration.Contains("password=", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("RedisOptions.Configuration contains a password; set RedisOptions.Password or RedisOptions.PasswordFile instead, so it is never logged.");
        }

        if (Password is not null && PasswordFile is not null)
        {
            problems.Add("RedisOptions.Password and RedisOptions.PasswordFile are both set; choose one.");
        }

        if (PasswordFile is not null && !File.Exists(PasswordFile))
        {
            problems.Add($"RedisOptions.PasswordFile '{PasswordFile}' does not exist.");
        }

        return problems;
    }

    /// <summary>The settings with the password masked.</summary>
    public override string ToString() =>
        $"Redis {Configuration} tls={UseTls} password={(Password is null && PasswordFile is null ? "none" : "***")}";
}
