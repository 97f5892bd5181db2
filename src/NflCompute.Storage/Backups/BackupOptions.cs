namespace NflCompute.Storage.Backups;

/// <summary>
/// Where the grid's pgBackRest stanza lives and how to reach it. Bound from configuration section
/// <c>Backup</c> (<c>NFLC_Backup__*</c>); deploy/backup/pgbackrest.conf.example shows a stanza on a
/// local repository with WAL archiving.
/// </summary>
public sealed class BackupOptions
{
    /// <summary>The pgBackRest configuration file. None by default (no backups configured).</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The stanza (pgBackRest's name for the cluster). Default nflc.</summary>
    public string Stanza { get; set; } = "nflc";

    /// <summary>
    /// The operating-system user pgBackRest and the scratch Postgres run as: the cluster's owner.
    /// Default: postgres when this process runs as root, else this process's user.
    /// </summary>
    public string? RunAs { get; set; }

    /// <summary>Postgres's bin folder (pg_ctl). Default: the newest under /usr/lib/postgresql.</summary>
    public string? PgBin { get; set; }

    /// <summary>The loopback port the restore check starts its scratch cluster on. Default 15499.</summary>
    public int ScratchPort { get; set; } = 15499;

    /// <summary>
    /// The folder the restore check restores into (emptied before and removed after); the
    /// <see cref="RunAs"/> user must be able to create it. Default: restore-check beside the
    /// configuration file.
    /// </summary>
    public string? ScratchDir { get; set; }

    /// <summary>Problems with these settings, each naming <c>Backup:Property</c>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ConfigFile is null)
        {
            problems.Add("Backup:ConfigFile is not set: name the pgBackRest configuration of the grid's stanza (see deploy/backup/pgbackrest.conf.example).");
        }
        else if (!File.Exists(ConfigFile))
        {
            problems.Add($"Backup:ConfigFile '{ConfigFile}' does not exist.");
        }

        if (ScratchPort is < 1 or > 65535)
        {
            problems.Add($"Backup:ScratchPort is {ScratchPort}; it must be in 1..65535.");
        }

        return problems;
    }
}
