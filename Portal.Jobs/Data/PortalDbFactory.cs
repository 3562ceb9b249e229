using Microsoft.EntityFrameworkCore;

namespace Portal.Jobs.Data;

/// <summary>Hands out the configured provider's context as the <see cref="PortalDb"/> callers ask for.</summary>
internal sealed class PortalDbFactory<TContext>(IDbContextFactory<TContext> contexts) : IDbContextFactory<PortalDb>
    where TContext : PortalDb
{
    public PortalDb CreateDbContext() => contexts.CreateDbContext();

    public async Task<PortalDb> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await contexts.CreateDbContextAsync(cancellationToken);
}
