using Microsoft.Extensions.Hosting;

namespace Portal.Jobs.Data;

/// <summary>Migrates the database when a host starts, before anything else uses it.</summary>
internal sealed class PortalDbMigrator(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigratePortalDbAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
