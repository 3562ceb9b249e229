using Microsoft.EntityFrameworkCore;
using Portal.Infra.Budgets;
using Portal.Jobs.Budgets;
using Portal.Jobs.Data;
using Portal.Tests.Postgres;

namespace Portal.Tests.Budgets;

/// <summary>Two portal processes' stores on one PostgreSQL database take from one bucket per target.</summary>
[Trait(Lanes.Category, Lanes.Postgres)]
public sealed class SharedCallBudgetTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private sealed class Databases(string connectionString) : IDbContextFactory<PortalDb>
    {
        public PortalDb CreateDbContext() =>
            new PostgresPortalDb(new DbContextOptionsBuilder<PostgresPortalDb>().UseNpgsql(connectionString).Options);
    }

    [PostgresFact]
    public async Task ProcessesOnOneDatabaseShareEachTargetsBucket()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T12:00:00Z"));
        var first = new PostgresCallBudgetStore(new Databases(connectionString), clock);
        var second = new PostgresCallBudgetStore(new Databases(connectionString), clock);
        var rate = new CallRate(PerSecond: 2, Burst: 4);

        // Twelve watchers' attempts from two processes at once: the bucket holds four, whoever asks.
        var waits = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? first : second).TryTakeAsync("Prod", rate, CallPriority.Watch, CancellationToken.None).AsTask()));
        Assert.Equal(4, waits.Count(w => w == TimeSpan.Zero));
        Assert.All(waits.Where(w => w > TimeSpan.Zero), w => Assert.Equal(TimeSpan.FromMilliseconds(500), w));

        // Target names match case-insensitively, as configuration keys do; another target has a bucket of its own.
        Assert.Equal(TimeSpan.FromMilliseconds(500), await second.TryTakeAsync("prod", rate, CallPriority.Watch, CancellationToken.None));
        Assert.Equal(TimeSpan.Zero, await first.TryTakeAsync("staging", rate, CallPriority.Watch, CancellationToken.None));

        // An action borrows from the next burst; time refills what both processes see.
        Assert.Equal(TimeSpan.Zero, await second.TryTakeAsync("prod", rate, CallPriority.Action, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, await first.TryTakeAsync("prod", rate, CallPriority.Watch, CancellationToken.None));
        Assert.Equal(TimeSpan.FromMilliseconds(500), await second.TryTakeAsync("prod", rate, CallPriority.Watch, CancellationToken.None));
    }
}
