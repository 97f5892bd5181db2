namespace NflCompute.Storage;

/// <summary>
/// The passwords of the grid's least-privilege Postgres roles, each in a file (a mounted secret;
/// deploy/local/up.sh generates them for a local grid). Bound from configuration section
/// <c>Roles</c> (<c>NFLC_Roles__*</c>). <c>nflc db migrate</c>, run as the owner, gives each role
/// whose file is set its login; workers log in as <see cref="StorageRoles.Worker"/> with the first,
/// the dashboard as <see cref="StorageRoles.Reader"/> with the second.
/// </summary>
public sealed class RoleOptions
{
    /// <summary>The <c>nflc_worker</c> password file. None by default.</summary>
    public string? WorkerPasswordFile { get; set; }

    /// <summary>The <c>nflc_reader</c> password file. None by default.</summary>
    public string? ReaderPasswordFile { get; set; }

    /// <summary>
    /// A folder of the grid's Redis users' passwords, one file per role (<c>worker.password</c>,
    /// ...): <c>nflc grid configure</c> (and the demo) create the users of the grid's namespace
    /// with them, generating a file that is missing. None by default (no Redis users are made).
    /// </summary>
    public string? RedisPasswordsDir { get; set; }

    /// <summary>The password file of the Redis user of <paramref name="role"/>, or null without <see cref="RedisPasswordsDir"/>.</summary>
    public string? RedisPasswordFileOf(string role) => RedisPasswordsDir is null ? null : Path.Combine(RedisPasswordsDir, role + ".password");

    /// <summary>Each role with a password file, and the file.</summary>
    public IEnumerable<(string Role, string File)> Logins() =>
        Settings().Where(s => s.File is not null).Select(s => (s.Role, s.File!));

    /// <summary>Problems with these settings, each naming <c>Roles:Property</c>.</summary>
    public IReadOnlyList<string> Validate() =>
        [.. Settings().Where(s => s.File is not null && !File.Exists(s.File)).Select(s => $"Roles:{s.Setting} '{s.File}' does not exist.")];

    /// <summary>
    /// Connection settings for <paramref name="role"/>: <paramref name="owner"/>'s server and
    /// database (or <paramref name="database"/>), the role's name and password file.
    /// </summary>
    public PostgresOptions For(string role, PostgresOptions owner, int maxPoolSize, string? database = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var setting = Settings().Single(s => s.Role == role);
        var file = setting.File ?? throw new Core.Errors.OptionsValidationException([$"Roles:{setting.Setting} is not set; {role} needs its password to log in."]);
        return new PostgresOptions
        {
            Host = owner.Host, Port = owner.Port, Database = database ?? owner.Database, SslMode = owner.SslMode, RootCertificateFile = owner.RootCertificateFile,
            PrepareStatements = owner.PrepareStatements, Username = role, PasswordFile = file, MaxPoolSize = maxPoolSize,
        };
    }

    // Each Postgres role, the setting that names its password file, and the file.
    private IEnumerable<(string Role, string Setting, string? File)> Settings() =>
    [
        (StorageRoles.Worker, nameof(WorkerPasswordFile), WorkerPasswordFile),
        (StorageRoles.Reader, nameof(ReaderPasswordFile), ReaderPasswordFile),
    ];
}
