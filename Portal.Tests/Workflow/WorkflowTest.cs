using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.Environments;
using Portal.Jobs;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Postgres;

namespace Portal.Tests.Workflow;

/// <summary>
/// A real database per test (SQLite in a fresh temp folder, or PostgreSQL: <see cref="TestDatabase"/>), wired by AddPortalWorkflow as a host would, with the
/// placeholder plan scheduler and a deploy scheduler that records what it was asked to queue.
/// Targets: sandbox needs 1 approval, prod needs 2. Test classes derive from it: xunit makes one per test. Each carries
/// <c>[Trait(Lanes.Database, Lanes.Stored)]</c> (xunit reads no trait of a base class), so the PostgreSQL pass runs it again.
/// </summary>
public abstract class WorkflowTest : IAsyncLifetime
{
    public static readonly Actor Alice = DevelopmentUser("alice", PortalRoles.Engineer);
    public static readonly Actor Erin = DevelopmentUser("erin", PortalRoles.Engineer, PortalRoles.Approver);
    public static readonly Actor Bob = DevelopmentUser("bob", PortalRoles.Approver);
    public static readonly Actor Carol = DevelopmentUser("carol", PortalRoles.Approver);
    public static readonly Actor Dana = DevelopmentUser("dana", PortalRoles.Admin);

    private readonly ConcurrentBag<IServiceScope> _scopes = [];
    private ServiceProvider _services = null!;

    protected WorkflowTest()
    {
        DataDirectory = Path.Combine(TempFolder.New(), "data");
    }

    public string DataDirectory { get; }

    public RecordingDeployScheduler Deploys { get; } = new();

    /// <summary>More configuration for a test class (e.g. a lower submission limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>A user of the development sign-in: the name is the subject, under the development issuer.</summary>
    public static Actor DevelopmentUser(string name, params string[] roles) => new(PersonId.Development(name), name, roles.ToHashSet());

    /// <summary>A valid spec (docs/SPEC.md's example); <paramref name="tag"/> varies it for updates.</summary>
    public static EnvironmentSpec Spec(string name, string target = "sandbox", string tag = "1.4.2") => new()
    {
        Name = name,
        Target = target,
        Frontend = new FrontendSpec
        {
            Image = new ImageRef { Repository = "frontend", Tag = tag },
            ContainerPort = 3000,
            Cpu = 256,
            MemoryMiB = 512,
            DesiredCount = 2,
            HealthCheckPath = "/health",
            Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
        },
        Backend = new BackendSpec
        {
            Image = new ImageRef { Repository = "backend", Digest = "sha256:" + new string('a', 64) },
            ContainerPort = 8080,
            ListenerPort = 80,
            Cpu = 512,
            MemoryMiB = 1024,
            DesiredCount = 2,
            HealthCheckPath = "/health",
        },
    };

    /// <summary>A service from its own scope, as each request or job gets.</summary>
    public T Get<T>() where T : notnull
    {
        var scope = _services.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    public EnvironmentCommands Environments => Get<EnvironmentCommands>();

    public ApprovalCommands Approvals => Get<ApprovalCommands>();

    public RevisionCommands Revisions => Get<RevisionCommands>();

    public EnvironmentQueries Queries => Get<EnvironmentQueries>();

    public ApprovalQueue Queue => Get<ApprovalQueue>();

    public PortalDb NewDb() => _services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContext();

    public Task<RevisionView> SubmitAsync(string name, Actor? by = null, string target = "sandbox") =>
        Environments.SubmitAsync(new SubmitEnvironment(Spec(name, target)), by ?? Alice, CancellationToken.None);

    public Task<RevisionView> ApproveAsync(RevisionView revision, Actor by) =>
        Approvals.ApproveAsync(new ApproveRevision(revision.Id), by, CancellationToken.None);

    /// <summary>Does to a revision what a job would (plan, deploy), in its own unit of work.</summary>
    public async Task<RevisionView> AsJobAsync(int revisionId, Action<Revision> step)
    {
        await using var db = NewDb();
        await db.WriteAsync(async () =>
        {
            var revision = await db.Revisions.Include(r => r.Environment).Include(r => r.Approvals)
                .SingleAsync(r => r.Id == revisionId);
            step(revision);
            return await db.SaveChangesAsync();
        }, CancellationToken.None);
        return await ReadAsync(revisionId);
    }

    /// <summary>Makes a (new) change set for a revision awaiting approval, as a re-plan would.</summary>
    public Task<RevisionView> ReplanAsync(int revisionId, string changeSetId) => AsJobAsync(revisionId, r =>
    {
        r.TransitionTo(RevisionStatus.Planning, Person.Portal, "re-plan");
        r.RecordPlan(changeSetId, "cs-" + changeSetId, "{}");
        r.TransitionTo(RevisionStatus.AwaitingApproval, Person.Portal, "planned");
    });

    /// <summary>Approved → Deploying → Deployed, as the deploy job will.</summary>
    public async Task<RevisionView> DeployAsync(int revisionId)
    {
        await AsJobAsync(revisionId, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal));
        return await AsJobAsync(revisionId, r => r.TransitionTo(RevisionStatus.Deployed, Person.Portal));
    }

    public async Task<RevisionView> ReadAsync(int revisionId)
    {
        await using var db = NewDb();
        var revision = await db.Revisions.AsNoTracking().Include(r => r.Environment).SingleAsync(r => r.Id == revisionId);
        return await Queries.GetRevisionAsync(revision.Environment.Name, revision.Number, CancellationToken.None);
    }

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseConfiguration.DataDirKey] = DataDirectory,
            ["Targets:sandbox:Kind"] = "Sandbox",
            ["Targets:sandbox:RequiredApprovals"] = "1",
            ["Targets:prod:Kind"] = "Aws",
            ["Targets:prod:RequiredApprovals"] = "2",
        }).AddInMemoryCollection(Settings).AddInMemoryCollection(await TestDatabase.ConfigurationAsync()).Build();
        _services = new ServiceCollection()
            .AddSingleton<IDeployScheduler>(Deploys)
            .AddPortalWorkflow(configuration)
            .AddPlaceholderSchedulers()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await _services.MigratePortalDbAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var scope in _scopes)
        {
            scope.Dispose();
        }

        await _services.DisposeAsync();
        SqliteConnection.ClearPool(new SqliteConnection(DatabaseConfiguration.ConnectionString(DataDirectory)));
        TempFolder.Delete(Path.GetDirectoryName(DataDirectory)!);
    }
}

/// <summary>Records the revisions queued for deploy, in order.</summary>
public sealed class RecordingDeployScheduler : IDeployScheduler
{
    private readonly ConcurrentQueue<int> _queued = new();

    public IReadOnlyList<int> Queued => [.. _queued];

    public Task EnqueueAsync(int revisionId, CancellationToken cancellationToken)
    {
        _queued.Enqueue(revisionId);
        return Task.CompletedTask;
    }
}
