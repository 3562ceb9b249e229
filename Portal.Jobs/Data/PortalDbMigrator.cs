using Microsoft.Extensions.Hosting;

namespace Portal.Jobs.Data;

/// <summary>
/// Migrates the database when a host starts, before anything else uses it: in StartingAsync, which runs before every
/// hosted service's StartAsync (data protection loads its keys from the database in its own StartAsync). A caller
/// that only calls StartAsync (no lifecycle) gets the migration there.
/// </summary>
internal sealed class PortalDbMigrator(IServiceProvider services) : IHostedLifecycleService
{
    private Task? _migration;

    public Task StartingAsync(CancellationToken cancellationToken) => _migration ??= services.MigratePortalDbAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => _migration ??= services.MigratePortalDbAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
