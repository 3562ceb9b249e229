using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Web.Hosting;

/// <summary>
/// The certificate the data protection keys in the portal's database are encrypted to (<c>DataProtection:Certificate:Path</c>,
/// a PKCS#12 file with its private key, and <c>Password</c>), so a copy of the database alone cannot forge a cookie.
/// </summary>
public static class DataProtectionCertificate
{
    public const string PathKey = "DataProtection:Certificate:Path";
    public const string PasswordKey = "DataProtection:Certificate:Password";

    /// <summary>The configured certificate, or null when none is; a certificate that cannot be read stops the start.</summary>
    public static X509Certificate2? Load(IConfiguration configuration)
    {
        if (configuration[PathKey] is not { Length: > 0 } path) return null;
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordKey]);
            return certificate.HasPrivateKey
                ? certificate
                : throw new CryptographicException("it holds no private key, which reading the keys back needs");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{PathKey}: cannot read '{path}' as a PKCS#12 (.pfx) certificate with its private key " +
                $"(password from {PasswordKey}): {e.Message}", e);
        }
    }
}
