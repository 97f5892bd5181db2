using System.Diagnostics;
using NflCompute.Core.Errors;
using Npgsql;

namespace NflCompute.Storage;

/// <summary>Creates the process's one <see cref="NpgsqlDataSource"/> (its connection pool) from options.</summary>
public static class PostgresDataSource
{
    /// <summary>Builds the data source; throws <see cref="OptionsValidationException"/> for bad settings.</summary>
    public static NpgsqlDataSource Create(PostgresOptions options, string? database = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidationException.ThrowIfAny(options.Validate());
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = options.Host,
            Port = options.Port,
            Database = database ?? options.Database,
            Username = options.Username,
            Password = options.Password ?? (options.PasswordFile is null ? null : File.ReadAllText(options.PasswordFile).Trim()),
            SslMode = options.EffectiveSslMode,
            RootCertificate = options.RootCertificateFile,
            MaxPoolSize = options.MaxPoolSize,
            ApplicationName = "nflcompute",

            // The grid's statements are short and run many times; a planner that guesses a batch
            // statement costly would compile it with LLVM each time (half a second per commit,
            // measured), which never pays for itself here.
            Options = "-c jit=off",

            // The few statements run per batch are prepared once per connection: a batch commit
            // is then not parsed and planned again each time (about 0.8 ms of planning).
            MaxAutoPrepare = options.PrepareStatements ? 32 : 0,
            AutoPrepareMinUsages = 2,
        };
        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        // Npgsql's spans only inside a traced operation (a task's persistence, a submission), not
        // one root trace per background statement; no spans for opening physical connections.
        source.ConfigureTracing(t => t
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            .EnablePhysicalOpenTracing(false));
        return source.Build();
    }
}
