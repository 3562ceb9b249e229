using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Postgres;

namespace Portal.Tests.Workflow;

[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class DatabaseTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task MigrationsLeaveNothingPendingAndSqliteGetsAWalFileInANewFolder()
    {
        await using var db = NewDb();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
        if (TestDatabase.IsPostgres) return; // the rest is about SQLite's file

        // InitializeAsync migrated a file in a folder that did not exist.
        Assert.True(File.Exists(Path.Combine(DataDirectory, DatabaseConfiguration.FileName)));
        await using var connection = new SqliteConnection(DatabaseConfiguration.ConnectionString(DataDirectory));
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await pragma.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AStartingHostMigratesAnEmptyDatabase()
    {
        var dataDirectory = Path.Combine(DataDirectory, "host");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [DatabaseConfiguration.DataDirKey] = dataDirectory })
            .Build();
        await using var services = new ServiceCollection().AddPortalWorkflow(configuration).BuildServiceProvider();

        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(None);
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Environments.CountAsync());
        SqliteConnection.ClearPool(new SqliteConnection(DatabaseConfiguration.ConnectionString(dataDirectory)));
    }

    [Fact]
    public async Task TwentyParallelRequestsAllPersist()
    {
        var names = Enumerable.Range(1, 20).Select(i => $"env-{i:00}").ToList();

        var revisions = await Task.WhenAll(names.Select(name => Task.Run(() => SubmitAsync(name))));

        Assert.All(revisions, r => Assert.Equal(RevisionStatus.AwaitingApproval, r.Status));
        Assert.Equal(names, (await Queries.ListAsync(None)).Select(e => e.Name));
    }

    [Fact]
    public async Task ParallelApprovalsAreCountedOnceEach()
    {
        // Several races at once, so a lost update would show.
        var revisions = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => SubmitAsync($"prod-{i}", target: "prod")));

        await Task.WhenAll(revisions.SelectMany(revision =>
            new[] { Bob, Carol }.Select(approver => Task.Run(() => ApproveAsync(revision, approver)))));

        foreach (var revision in revisions)
        {
            var approved = await ReadAsync(revision.Id);
            Assert.Equal((RevisionStatus.Approved, 2), (approved.Status, approved.ApprovalsCounted));
        }

        Assert.Equal(revisions.Select(r => r.Id).Order(), Deploys.Queued.Order());
    }

    [Fact]
    public async Task OfTwoParallelLastApprovalsOneWinsAndOneIsToldItIsTooLate()
    {
        var revisions = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => SubmitAsync($"dev-{i}")));

        var outcomes = await Task.WhenAll(revisions.SelectMany(revision =>
            new[] { Bob, Carol }.Select(approver => Task.Run(async () =>
            {
                try
                {
                    await ApproveAsync(revision, approver);
                    return "approved";
                }
                catch (WorkflowException e) when (e.Code == WorkflowErrorCode.Conflict)
                {
                    return "too late";
                }
            }))));

        Assert.Equal(5, outcomes.Count(o => o == "approved"));
        Assert.Equal(5, outcomes.Count(o => o == "too late"));
        Assert.Equal(revisions.Select(r => r.Id).Order(), Deploys.Queued.Order());
        foreach (var revision in revisions)
        {
            Assert.Single((await ReadAsync(revision.Id)).Approvals);
        }
    }
}
