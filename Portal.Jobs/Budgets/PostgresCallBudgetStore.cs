using Microsoft.EntityFrameworkCore;
using Portal.Infra.Budgets;
using Portal.Jobs.Data;

namespace Portal.Jobs.Budgets;

/// <summary>
/// Each target's bucket as a row every portal process on one PostgreSQL database takes from, under a row lock, so that
/// web instances and workers together stay within the target's budget. Its own short transaction, not
/// <see cref="PortalDb.WriteAsync{T}"/>: a call's turn must not wait for the portal's writes, nor they for it.
/// </summary>
public sealed class PostgresCallBudgetStore(IDbContextFactory<PortalDb> databases, TimeProvider time) : ICallBudgetStore
{
    public async ValueTask<TimeSpan> TryTakeAsync(string target, CallRate rate, CallPriority priority, CancellationToken cancellationToken)
    {
        var key = target.ToLowerInvariant();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "CallBudgets" ("Target", "Tokens", "RefilledAt") VALUES ({key}, {(double)rate.Burst}, {now}) ON CONFLICT ("Target") DO NOTHING""",
            cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var bucket = await db.CallBudgets.FromSql($"""SELECT * FROM "CallBudgets" WHERE "Target" = {key} FOR UPDATE""").SingleAsync(cancellationToken);
        // Clocks of several machines differ a little: time never runs backwards for the bucket.
        var tokens = Math.Min(rate.Burst, bucket.Tokens + Math.Max(0, now - bucket.RefilledAt) * rate.PerSecond);
        var floor = rate.Floor(priority);
        var taken = tokens >= floor;
        bucket.Tokens = taken ? tokens - 1 : tokens;
        bucket.RefilledAt = Math.Max(bucket.RefilledAt, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return taken ? TimeSpan.Zero : rate.Until(tokens, floor);
    }
}
