using Npgsql;
using NpgsqlTypes;

namespace NflCompute.Storage.Machines;

/// <summary>Worker machines and their hardware profiles: first seen once, last seen on each registration.</summary>
public sealed class MachineRegistry(NpgsqlDataSource dataSource)
{
    /// <summary>Records a worker's profile (JSON).</summary>
    public async Task RegisterAsync(string workerId, string hostname, string profileJson, CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("""
            INSERT INTO machines (worker_id, hostname, profile) VALUES (@worker, @host, @profile)
            ON CONFLICT (worker_id) DO UPDATE SET hostname = EXCLUDED.hostname, profile = EXCLUDED.profile, last_seen = now()
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("worker", workerId);
            command.Parameters.AddWithValue("host", hostname);
            command.Parameters.AddWithValue("profile", NpgsqlDbType.Jsonb, profileJson);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
