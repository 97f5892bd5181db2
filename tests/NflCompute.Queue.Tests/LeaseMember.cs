using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NflCompute.Queue.Tests;

/// <summary>A running task's member of the leases set, as lua/common.lua writes it: its id and a hash of its token.</summary>
internal static class LeaseMember
{
    public static string Of(string id, long token) => id + ":" + Hash(token);

    public static string Hash(long token) => Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes(token.ToString(CultureInfo.InvariantCulture))))[..16];
}
