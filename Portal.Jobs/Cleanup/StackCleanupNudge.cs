using System.Data.Common;
using Hangfire;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Jobs.Data;

namespace Portal.Jobs.Cleanup;

/// <summary>
/// Queues <see cref="StackCleanupJob.DispatchAsync(CancellationToken)"/> once a transaction that saved new
/// <see cref="StackCleanup"/>s commits, whichever command or job ended the revision, so cleanups start at once rather
/// than at the next sweep. Where no Hangfire is configured (the workflow alone) it does nothing; a nudge that cannot
/// be queued is only logged: the rows are saved, and the sweep finds them.
/// </summary>
internal sealed class StackCleanupNudge(IServiceProvider services) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Announce(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Announce(eventData.Context);
        return Task.CompletedTask;
    }

    // A save without a transaction of the caller's commits by itself.
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
            Announce(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
            Announce(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Announce(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is not PortalDb { CleanupsToAnnounce: true } db)
            return;
        db.CleanupsToAnnounce = false;
        if (services.GetService<IBackgroundJobClient>() is not { } jobs)
            return;
        try
        {
            jobs.Enqueue<StackCleanupJob>(job => job.DispatchAsync(CancellationToken.None));
        }
        catch (Exception e)
        {
            services.GetService<ILogger<StackCleanupNudge>>()?.LogWarning(e, "Could not queue the cleanup dispatch; the minutely sweep will");
        }
    }
}
