using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;

namespace NflCompute.Storage.Tests;

/// <summary>TLS to the local Postgres, which deploy/local/up.sh starts with ssl=on and a certificate from a local CA.</summary>
public sealed class TlsTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task VerifyFull_WithTheServersCa_Connects_Encrypted()
    {
        await using var db = PostgresDataSource.Create(Options(SslMode.VerifyFull, CaFile()));

        await using var command = db.CreateCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task VerifyFull_WithAnotherCa_IsRefused()
    {
        var other = Path.Combine(Path.GetTempPath(), "nflc-other-ca-" + Guid.NewGuid().ToString("N")[..8] + ".crt");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=not the grid's CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllTextAsync(other, ca.ExportCertificatePem());
        }

        try
        {
            await using var db = PostgresDataSource.Create(Options(SslMode.VerifyFull, other));
            var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var connection = await db.OpenConnectionAsync();
            });
            Assert.Contains("certificate", refused.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(other);
        }
    }

    [Theory]
    [InlineData("db.internal.example", null, SslMode.VerifyFull)] // off loopback: verified unless told otherwise
    [InlineData("10.0.0.7", null, SslMode.VerifyFull)]
    [InlineData("127.0.0.1", null, SslMode.Prefer)]
    [InlineData("localhost", null, SslMode.Prefer)]
    [InlineData("db.internal.example", SslMode.Require, SslMode.Require)] // a setting wins
    public void TheTlsMode_DefaultsToVerifyFullOffLoopback(string host, SslMode? setting, SslMode effective) =>
        Assert.Equal(effective, new PostgresOptions { Host = host, SslMode = setting }.EffectiveSslMode);

    private string CaFile() => postgres.TlsCaFile is { } file && File.Exists(file)
        ? file
        : throw new InvalidOperationException("The local Postgres has no TLS CA (.local/tls/ca.crt): restart it with deploy/local/down.sh and deploy/local/up.sh, which make one.");

    private PostgresOptions Options(SslMode mode, string ca) => new()
    {
        Host = postgres.Superuser.Host, Port = postgres.Superuser.Port, Username = postgres.Superuser.Username,
        PasswordFile = postgres.Superuser.PasswordFile, Database = "postgres", SslMode = mode, RootCertificateFile = ca,
    };
}
