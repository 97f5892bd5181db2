using System.Security.Cryptography;
using System.Text;

namespace NflCompute.Queue.Scripts;

/// <summary>A script's full text and its SHA1, as Redis knows it.</summary>
public sealed record LoadedScript(string Text, byte[] Sha1)
{
    internal static LoadedScript From(string text) => new(text, SHA1.HashData(Encoding.UTF8.GetBytes(text)));
}
