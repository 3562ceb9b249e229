namespace Portal.Web.Hosting;

/// <summary>Warns at start that the data protection keys are stored without a <see cref="DataProtectionCertificate"/>.</summary>
internal sealed class UnencryptedKeysWarning(ILogger<UnencryptedKeysWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "Data protection keys are stored unencrypted in the portal's database: anyone with a copy of it can forge " +
            "sign-in cookies. Set {PathKey} (a .pfx certificate with its private key) and {PasswordKey} to encrypt them.",
            DataProtectionCertificate.PathKey, DataProtectionCertificate.PasswordKey);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
