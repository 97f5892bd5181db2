using System.Net;

namespace NflCompute.Core;

/// <summary>Facts about host names the settings name.</summary>
public static class Hosts
{
    /// <summary>Whether <paramref name="host"/> is this machine's loopback: localhost, 127.0.0.0/8 or ::1 (bracketed as in a URL, or not).</summary>
    public static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
