using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Npgsql;

namespace NflCompute.Storage.Datasets;

/// <summary>
/// Big inputs (predictions, outcomes) as content-addressed arrays: the id is the SHA-256 of the
/// element type and the little-endian bytes, so storing the same data twice stores it once, and a
/// task carries the id instead of megabytes.
/// </summary>
public sealed class DatasetStore(NpgsqlDataSource dataSource)
{
    private const string Float64 = "float64";
    private const string Utf8 = "utf8";

    /// <summary>The id <paramref name="values"/> would have: <c>sha256:&lt;hex&gt;</c>.</summary>
    public static string IdOf(ReadOnlySpan<double> values)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("float64\n"u8);
        hash.AppendData(MemoryMarshal.AsBytes(values));
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Stores the array (once, whatever the number of calls) and returns its id.</summary>
    public async Task<string> PutAsync(double[] values, string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Datasets are stored little-endian.");
        }

        var id = IdOf(values);
        var command = dataSource.CreateCommand("INSERT INTO datasets (dataset_id, kind, element_type, length, data) VALUES (@id, @kind, @type, @length, @data) ON CONFLICT (dataset_id) DO NOTHING");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("kind", kind);
            command.Parameters.AddWithValue("type", Float64);
            command.Parameters.AddWithValue("length", values.Length);
            command.Parameters.AddWithValue("data", MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return id;
    }

    /// <summary>Reads an array by id.</summary>
    /// <exception cref="DatasetNotFoundException">No dataset has this id.</exception>
    public async Task<double[]> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT element_type, length, data FROM datasets WHERE dataset_id = @id");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("id", id);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new DatasetNotFoundException(id);
                }

                var bytes = (byte[])reader.GetValue(2);
                var values = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
                return values.Length == reader.GetInt32(1) && reader.GetString(0) == Float64
                    ? values
                    : throw new InvalidDataException($"Dataset {id} is stored as {reader.GetString(0)} x {reader.GetInt32(1)} but holds {bytes.Length} bytes.");
            }
        }
    }

    /// <summary>The id <paramref name="text"/> would have as a text dataset.</summary>
    public static string IdOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("utf8\n"u8);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Stores a text (a CSV file, say) once and returns its id.</summary>
    public async Task<string> PutTextAsync(string text, string kind, CancellationToken cancellationToken = default)
    {
        var id = IdOf(text);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var command = dataSource.CreateCommand("INSERT INTO datasets (dataset_id, kind, element_type, length, data) VALUES (@id, @kind, @type, @length, @data) ON CONFLICT (dataset_id) DO NOTHING");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("kind", kind);
            command.Parameters.AddWithValue("type", Utf8);
            command.Parameters.AddWithValue("length", bytes.Length);
            command.Parameters.AddWithValue("data", bytes);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return id;
    }

    /// <summary>Reads a text dataset by id.</summary>
    /// <exception cref="DatasetNotFoundException">No dataset has this id.</exception>
    public async Task<string> GetTextAsync(string id, CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT element_type, data FROM datasets WHERE dataset_id = @id");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("id", id);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new DatasetNotFoundException(id);
                }

                return reader.GetString(0) == Utf8
                    ? System.Text.Encoding.UTF8.GetString((byte[])reader.GetValue(1))
                    : throw new InvalidDataException($"Dataset {id} holds {reader.GetString(0)}, not text.");
            }
        }
    }
}
