using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Support;

/// <summary>
/// HTTPS for tests: a certificate authority made by this test process, and a server certificate it issued for
/// 127.0.0.1, localhost and <see cref="PublicHost"/>. Nothing on the machine trusts the authority; a test's own client
/// (<see cref="Trusting"/>), or a process started with <c>SSL_CERT_FILE</c> naming it, trusts it and nothing else.
/// </summary>
internal static class TestCertificates
{
    /// <summary>A host name for the portal as the public reaches it (the .test domain never resolves).</summary>
    public const string PublicHost = "portal.test";

    private static readonly Lazy<(X509Certificate2 Authority, X509Certificate2 Server)> Pair = new(Create);

    public static X509Certificate2 Authority => Pair.Value.Authority;

    public static X509Certificate2 Server => Pair.Value.Server;

    /// <summary>Writes the authority's certificate and the server's certificate and key as PEM files into <paramref name="folder"/>.</summary>
    public static CertificateFiles Export(string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new CertificateFiles(
            Path.Combine(folder, "authority.pem"), Path.Combine(folder, "server.pem"), Path.Combine(folder, "server-key.pem"));
        File.WriteAllText(files.Authority, Authority.ExportCertificatePem());
        File.WriteAllText(files.Certificate, Server.ExportCertificatePem());
        using var key = Server.GetRSAPrivateKey()!;
        File.WriteAllText(files.Key, key.ExportPkcs8PrivateKeyPem());
        return files;
    }

    /// <summary>
    /// Writes a new self-signed certificate with its key, another each call (as a replaced one would be), to
    /// <paramref name="path"/> as a PFX file protected by <paramref name="password"/>: a data protection certificate.
    /// </summary>
    public static void WriteSelfSignedPfx(string path, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Portal data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
    }

    /// <summary>A handler that trusts servers whose certificate the test authority issued for the host asked for.</summary>
    public static SocketsHttpHandler Trusting() => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = IssuedByAuthority },
    };

    private static bool IssuedByAuthority(object sender, X509Certificate? certificate, X509Chain? _, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    private static (X509Certificate2, X509Certificate2) Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=Portal test authority", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var authority = authorityRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName(PublicHost);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var issued = serverRequest.Create(authority, now.AddMinutes(-5), now.AddDays(2), RandomNumberGenerator.GetBytes(16));
        return (authority, issued.CopyWithPrivateKey(serverKey));
    }
}

/// <summary>PEM files: the test authority's certificate, and a server certificate with its private key.</summary>
internal sealed record CertificateFiles(string Authority, string Certificate, string Key);
