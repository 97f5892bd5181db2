using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace NflCompute.Core.Datasets;

/// <summary>
/// How a dataset is written down: its element type, a newline, then its bytes (float64
/// little-endian, or UTF-8 text). The id is the SHA-256 of exactly those bytes, <c>sha256:&lt;hex&gt;</c>,
/// so the same data has the same id wherever it is computed (client, worker, Postgres).
/// </summary>
public static class DatasetEncoding
{
    /// <summary>The element type of number arrays.</summary>
    public const string Float64 = "float64";

    /// <summary>The element type of texts (a CSV file, say).</summary>
    public const string Utf8 = "utf8";

    /// <summary>Encodes a number array.</summary>
    public static byte[] Encode(ReadOnlySpan<double> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Datasets are little-endian.");
        }

        return [.. Encoding.ASCII.GetBytes(Float64 + "\n"), .. MemoryMarshal.AsBytes(values)];
    }

    /// <summary>Encodes a text.</summary>
    public static byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Encoding.ASCII.GetBytes(Utf8 + "\n"), .. Encoding.UTF8.GetBytes(text)];
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Text from UTF-8 bytes, or null when they are not valid UTF-8 (never a silent U+FFFD).</summary>
    public static string? DecodeText(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The byte offset of the first invalid UTF-8 sequence, or -1 when there is none.</summary>
    public static long InvalidUtf8At(ReadOnlySpan<byte> utf8)
    {
        var chars = new char[Math.Min(utf8.Length, 1 << 16)];
        long offset = 0;
        while (!utf8.IsEmpty)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                return offset + read;
            }

            offset += read;
            utf8 = utf8[read..];
            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>The id of an encoded dataset.</summary>
    public static string IdOf(ReadOnlySpan<byte> encoded) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(encoded));

    /// <summary>Splits an encoded dataset into its element type and its bytes.</summary>
    /// <exception cref="FormatException">It does not start with a known element type and a newline.</exception>
    public static (string ElementType, byte[] Data) Decode(ReadOnlySpan<byte> encoded)
    {
        var newline = encoded.IndexOf((byte)'\n');
        var type = newline > 0 ? Encoding.ASCII.GetString(encoded[..newline]) : "";
        return type is Float64 or Utf8
            ? (type, encoded[(newline + 1)..].ToArray())
            : throw new FormatException("An encoded dataset starts with 'float64' or 'utf8' and a newline.");
    }
}
