using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Jobs.Approvals;
using Portal.Jobs.Audit;
using Portal.Jobs.Cleanup;
using Portal.Jobs.Notifications;
using Portal.Jobs.Drift;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;
using Portal.Jobs.Environments;

namespace Portal.Jobs.Data;

/// <summary>
/// The portal's database (<see cref="SqlitePortalDb"/> or <see cref="PostgresPortalDb"/>, each with its migrations).
/// Saving also saves the audit entries the domain collected, in the same transaction. Create one per unit of work
/// (IDbContextFactory&lt;PortalDb&gt;): pages and jobs run long and must not share tracked state.
/// It also keeps the ASP.NET Core data protection keys, so every web instance signs cookies with the same keys.
/// </summary>
public abstract class PortalDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ManagedEnvironment> Environments => Set<ManagedEnvironment>();

    public DbSet<Revision> Revisions => Set<Revision>();

    public DbSet<Approval> Approvals => Set<Approval>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<StackEvent> StackEvents => Set<StackEvent>();

    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<DriftCheck> DriftChecks => Set<DriftCheck>();

    public DbSet<StackCleanup> StackCleanups => Set<StackCleanup>();

    public DbSet<Preferences.ThemePreference> ThemePreferences => Set<Preferences.ThemePreference>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The targets' call budgets, used on PostgreSQL only (<see cref="Budgets.PostgresCallBudgetStore"/>).</summary>
    public DbSet<Budgets.CallBudgetBucket> CallBudgets => Set<Budgets.CallBudgetBucket>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AddUnsavedAudit();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AddUnsavedAudit();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction taken before it reads (<see cref="BeginWriteAsync"/>): what
    /// it reads cannot change before it saves, so commands are serializable, and concurrent writers wait their turn.
    /// A lost race with a writer outside such a transaction surfaces as a Conflict.
    /// Writers of one process queue for their turn in memory first (<see cref="WriteTurns"/>), so at most one of them
    /// holds a connection while it waits for the database's lock.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        using var turn = await WriteTurns.EnterAsync(Database.GetConnectionString()!, cancellationToken);
        await using var transaction = await BeginWriteAsync(cancellationToken);
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new WorkflowException(WorkflowErrorCode.Conflict, null,
                "someone else changed this meanwhile; reload and try again", e);
        }
    }

    /// <summary>
    /// Tells live views in other processes that <paramref name="environment"/> has new events or a new status. Call it
    /// inside <see cref="WriteAsync{T}"/>: the notice then leaves with the commit, never before the data is readable,
    /// and never for a write that rolled back. PostgreSQL only (NOTIFY); on SQLite other processes catch up by polling.
    /// </summary>
    public virtual Task AnnounceAsync(string environment, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A transaction that holds the database's one write turn from its start.</summary>
    protected abstract Task<IDbContextTransaction> BeginWriteAsync(CancellationToken cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Readable in the database and safe to reorder in code.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }

    /// <summary>
    /// Set when a save added <see cref="StackCleanup"/>s; <see cref="StackCleanupNudge"/> queues their job once the
    /// transaction that holds them commits.
    /// </summary>
    internal bool CleanupsToAnnounce { get; set; }

    private void AddUnsavedAudit()
    {
        foreach (var environment in ChangeTracker.Entries<ManagedEnvironment>().Select(e => e.Entity).ToList())
        {
            AuditEntries.AddRange(environment.TakeUnsavedAudit());
            Notifications.AddRange(environment.TakeUnsavedNotifications());
            var cleanups = environment.TakeUnsavedCleanups();
            StackCleanups.AddRange(cleanups);
            CleanupsToAnnounce |= cleanups.Count > 0;
        }
    }
}
