using System.Runtime.InteropServices;
using NflCompute.Core.Datasets;
using Npgsql;

namespace NflCompute.Storage.Datasets;

/// <summary>
/// Big inputs (predictions, outcomes) as content-addressed arrays: the id is the SHA-256 of the
/// element type and the little-endian bytes, so storing the same data twice stores it once, and a
/// task carries the id instead of megabytes.
/// </summary>
public sealed class DatasetStore(NpgsqlDataSource dataSource)
{
    private const string Float64 = DatasetEncoding.Float64;
    private const string Utf8 = DatasetEncoding.Utf8;

    /// <summary>The id <paramref name="values"/> would have: <c>sha256:&lt;hex&gt;</c> (<see cref="DatasetEncoding"/>).</summary>
    public static string IdOf(ReadOnlySpan<double> values) => DatasetEncoding.IdOf(DatasetEncoding.Encode(values));

    /// <summary>Stores the array (once, whatever the number of calls) and returns its id.</summary>
    public Task<string> PutAsync(double[] values, string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        return PutEncodedAsync(DatasetEncoding.Encode(values), kind, cancellationToken);
    }

    /// <summary>Stores an encoded dataset (<see cref="DatasetEncoding"/>) once and returns its id.</summary>
    /// <exception cref="FormatException">It is not an encoded dataset.</exception>
    public async Task<string> PutEncodedAsync(byte[] encoded, string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var id = DatasetEncoding.IdOf(encoded);
        var (type, data) = DatasetEncoding.Decode(encoded);
        var command = dataSource.CreateCommand("INSERT INTO datasets (dataset_id, kind, element_type, length, data) VALUES (@id, @kind, @type, @length, @data) ON CONFLICT (dataset_id) DO NOTHING");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("kind", kind);
            command.Parameters.AddWithValue("type", type);
            command.Parameters.AddWithValue("length", type == DatasetEncoding.Float64 ? data.Length / sizeof(double) : data.Length);
            command.Parameters.AddWithValue("data", data);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return id;
    }

    /// <summary>Reads an array by id.</summary>
    /// <exception cref="DatasetNotFoundException">No dataset has this id.</exception>
    /// <exception cref="DatasetTypeException">It is not an array of numbers (text, or bytes that do not match its length).</exception>
    public async Task<double[]> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var (type, length, bytes) = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (type != Float64)
        {
            throw new DatasetTypeException(id, $"Dataset {id} holds {type}, not {Float64} numbers; upload the numbers themselves.");
        }

        var values = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
        return values.Length == length && bytes.Length % sizeof(double) == 0
            ? values
            : throw new DatasetTypeException(id, $"Dataset {id} is stored as {type} x {length} but holds {bytes.Length} bytes.");
    }

    /// <summary>The id <paramref name="text"/> would have as a text dataset.</summary>
    public static string IdOf(string text) => DatasetEncoding.IdOf(DatasetEncoding.Encode(text));

    /// <summary>Stores a text (a CSV file, say) once and returns its id.</summary>
    public Task<string> PutTextAsync(string text, string kind, CancellationToken cancellationToken = default) =>
        PutEncodedAsync(DatasetEncoding.Encode(text), kind, cancellationToken);

    /// <summary>Reads a text dataset by id.</summary>
    /// <exception cref="DatasetNotFoundException">No dataset has this id.</exception>
    public async Task<string> GetTextAsync(string id, CancellationToken cancellationToken = default)
    {
        var (type, _, bytes) = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (type != Utf8)
        {
            throw new DatasetTypeException(id, $"Dataset {id} holds {type}, not text.");
        }

        return DatasetEncoding.DecodeText(bytes) is { } text
            ? text
            : throw new DatasetTypeException(id, $"Dataset {id} is not valid UTF-8 at byte {DatasetEncoding.InvalidUtf8At(bytes)}.");
    }

    private async Task<(string Type, int Length, byte[] Data)> ReadAsync(string id, CancellationToken cancellationToken)
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

                var (type, length, data) = (reader.GetString(0), reader.GetInt32(1), (byte[])reader.GetValue(2));

                // The id is the hash of the content: bytes changed in the database after they were
                // stored (by hand, or by a role that should not write them) are refused, not computed on.
                var stored = DatasetEncoding.IdOf([.. System.Text.Encoding.ASCII.GetBytes(type + "\n"), .. data]);
                return stored == id ? (type, length, data) : throw new DatasetIntegrityException(id, stored);
            }
        }
    }
}
