using System.Diagnostics;
using NflCompute.Core.Errors;
using NflCompute.Queue.Redis;

namespace NflCompute.Queue.Tests;

/// <summary>
/// TLS to a Redis whose certificate a private CA signed for a name other than the endpoint's:
/// trusted through <see cref="RedisOptions.TlsCaFile"/> and matched through
/// <see cref="RedisOptions.TlsHost"/>, and refused without either.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly DirectoryInfo _certs = Directory.CreateTempSubdirectory("nflc-tls-");

    [Fact]
    public async Task TlsWithAPrivateCaAndTheCertificatesName_Connects_AndWithoutEitherIsRefused()
    {
        MakeCertificates();
        var tlsPort = RedisProcesses.FreePort();
        using var server = new PrivateRedisServer(extra: ["--tls-port", tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tls-cert-file", Cert("server.crt"), "--tls-key-file", Cert("server.key"), "--tls-ca-cert-file", Cert("ca.crt"), "--tls-auth-clients", "no"]);
        RedisProcesses.WaitUntil(server.Answers, "the TLS Redis");

        var good = new RedisOptions { Configuration = $"127.0.0.1:{tlsPort},connectTimeout=2000", UseTls = true, TlsHost = "redis.nflc.test", TlsCaFile = Cert("ca.crt") };
        await using (var gateway = await RedisGateway.ConnectAsync(good))
        {
            var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "tls" });
            await queue.ConfigureAsync();
            Assert.NotNull(await queue.GetAsync((await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id));
        }

        foreach (var bad in new[]
        {
            new RedisOptions { Configuration = good.Configuration, UseTls = true, TlsHost = "redis.nflc.test" }, // the CA is not trusted
            new RedisOptions { Configuration = good.Configuration, UseTls = true, TlsCaFile = Cert("ca.crt") }, // 127.0.0.1 is not the certificate's name
        })
        {
            var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => RedisGateway.ConnectAsync(bad));
            Assert.Contains("the TLS handshake failed", refused.Message, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _certs.Delete(recursive: true);

    private string Cert(string name) => Path.Combine(_certs.FullName, name);

    // A CA, and a server certificate it signs for redis.nflc.test.
    private void MakeCertificates()
    {
        File.WriteAllText(Cert("ext.cnf"), "subjectAltName=DNS:redis.nflc.test\n");
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Cert("ca.key"), "-out", Cert("ca.crt"), "-days", "2", "-subj", "/CN=nflc test CA");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", Cert("server.key"), "-out", Cert("server.csr"), "-subj", "/CN=redis.nflc.test");
        OpenSsl("x509", "-req", "-in", Cert("server.csr"), "-CA", Cert("ca.crt"), "-CAkey", Cert("ca.key"), "-CAcreateserial", "-out", Cert("server.crt"), "-days", "2", "-extfile", Cert("ext.cnf"));
    }

    private static void OpenSsl(params string[] args)
    {
        using var openssl = Process.Start(new ProcessStartInfo("openssl", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = openssl.StandardError.ReadToEnd();
        openssl.WaitForExit();
        Assert.True(openssl.ExitCode == 0, $"openssl {string.Join(' ', args)}: {error}");
    }
}
