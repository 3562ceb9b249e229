using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Portal.Jobs.Data;

namespace Portal.Web.Hosting;

/// <summary>
/// The keys that protect sign-in cookies and antiforgery tokens live in the portal's database, so every web instance
/// behind a load balancer reads what another wrote, and a restarted container does not sign everyone out. With a
/// certificate (<c>DataProtection:Certificate:Path</c>, a PKCS#12 file with its private key, and <c>Password</c>) each key
/// is stored encrypted to it, so a copy of the database alone cannot forge a cookie; without one, a production portal
/// warns at start.
/// </summary>
public static class DataProtectionHosting
{
    /// <summary>One name for every instance: by default keys are isolated per content root path.</summary>
    public const string ApplicationName = "Portal";

    public const string CertificatePathKey = "DataProtection:Certificate:Path";
    public const string CertificatePasswordKey = "DataProtection:Certificate:Password";

    public static WebApplicationBuilder AddPortalDataProtection(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<PortalDb>();
        if (LoadCertificate(builder.Configuration) is { } certificate)
            dataProtection.ProtectKeysWithCertificate(certificate); // also decrypts with it: no certificate store needed
        else if (!builder.Environment.IsDevelopment())
            builder.Services.AddHostedService<UnencryptedKeysWarning>();
        return builder;
    }

    private static X509Certificate2? LoadCertificate(IConfiguration configuration)
    {
        if (configuration[CertificatePathKey] is not { Length: > 0 } path) return null;
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordKey]);
            return certificate.HasPrivateKey
                ? certificate
                : throw new CryptographicException("it holds no private key, which reading the keys back needs");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{CertificatePathKey}: cannot read '{path}' as a PKCS#12 (.pfx) certificate with its private key " +
                $"(password from {CertificatePasswordKey}): {e.Message}", e);
        }
    }

    private sealed class UnencryptedKeysWarning(ILogger<UnencryptedKeysWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning(
                "Data protection keys are stored unencrypted in the portal's database: anyone with a copy of it can forge " +
                "sign-in cookies. Set {PathKey} (a .pfx certificate with its private key) and {PasswordKey} to encrypt them.",
                CertificatePathKey, CertificatePasswordKey);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
