using System.Security.Cryptography;
using System.Text;

namespace NflCompute.Storage.Migrations;

/// <summary>One versioned migration and the SHA-256 of its text.</summary>
/// <param name="Version">Its number, from the file name (0001_schema.sql is 1).</param>
/// <param name="Name">The rest of the file name, e.g. <c>schema</c>.</param>
/// <param name="Sql">The SQL.</param>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>Hex SHA-256 of the SQL: an applied migration whose text changed is refused.</summary>
    /// <remarks>Computed from <see cref="Sql"/> on each read, so a copy made with <c>with</c> cannot keep a stale one.</remarks>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}
