using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra;
using Portal.Infra.Environments;
using Portal.Jobs;
using Portal.Sandbox;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Environments;
using Portal.Tests.Workflow;

using Portal.Tests.Postgres;

namespace Portal.Tests.Jobs;

/// <summary>
/// The jobs as a host wires them (AddPortalInfra, AddPortalWorkflow, AddPortalJobs), on a fresh SQLite folder, against
/// a sandbox endpoint over real HTTP at a tiny time scale. The test drives the jobs itself, as Hangfire would call them,
/// so it can stop and repeat them; no Hangfire server runs.
/// </summary>
public sealed class JobsFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ConcurrentBag<IServiceScope> _scopes = [];

    private JobsFixture(ServiceProvider services, SandboxServer sandbox, string dataDirectory, IConfiguration configuration)
    {
        Configuration = configuration;
        _services = services;
        Sandbox = sandbox;
        DataDirectory = dataDirectory;
    }

    public SandboxServer Sandbox { get; }

    public string DataDirectory { get; }

    /// <param name="configure">Replaces services after the host's wiring (e.g. a synthesizer stub).</param>
    /// <param name="settings">More configuration (e.g. another target), given the sandbox's URL.</param>
    public static async Task<JobsFixture> StartAsync(
        Action<IServiceCollection>? configure = null, Func<Uri, IDictionary<string, string?>>? settings = null)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.002 }, CancellationToken.None);
        var dataDirectory = Path.Combine(TempFolder.New(), "data");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseConfiguration.DataDirKey] = dataDirectory,
            ["Targets:sandbox:Kind"] = "Sandbox",
            ["Targets:sandbox:RequiredApprovals"] = "1",
            ["Targets:sandbox:ServiceUrl"] = sandbox.Url.ToString(),
            ["Jobs:RunServer"] = "false",
            ["StackEvents:ActiveInterval"] = "00:00:00.050",
            ["StackEvents:QuietInterval"] = "00:00:00.200",
            ["CloudFormation:BaseDelay"] = "00:00:00.010",
        }).AddInMemoryCollection(await TestDatabase.ConfigurationAsync())
            .AddInMemoryCollection(settings?.Invoke(sandbox.Url)).Build();
        var collection = new ServiceCollection().AddLogging().AddPortalInfra(configuration).AddPortalWorkflow(configuration).AddPortalJobs(configuration);
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await services.MigratePortalDbAsync();
        return new JobsFixture(services, sandbox, dataDirectory, configuration);
    }

    public IServiceProvider Services => _services;

    /// <summary>The fixture's configuration: its data folder, or its PostgreSQL database in the PostgreSQL pass.</summary>
    public IConfiguration Configuration { get; }

    public T Get<T>() where T : notnull
    {
        var scope = _services.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    public static EnvironmentSpec Spec(string name, string? tag = null)
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev) with { Name = name };
        return tag is null ? spec : spec with { Frontend = spec.Frontend with { Image = spec.Frontend.Image with { Tag = tag } } };
    }

    public async Task<RevisionView> SubmitAndPlanAsync(EnvironmentSpec spec)
    {
        var revision = await Get<EnvironmentCommands>().SubmitAsync(new SubmitEnvironment(spec), WorkflowTest.Alice, default);
        await Get<PlanJob>().RunAsync(revision.Id, default);
        return await RevisionAsync(revision.Id);
    }

    public async Task<RevisionView> UpdateAndPlanAsync(EnvironmentSpec spec)
    {
        var revision = await Get<EnvironmentCommands>().UpdateAsync(new SubmitUpdate(spec.Name, spec), WorkflowTest.Alice, default);
        await Get<PlanJob>().RunAsync(revision.Id, default);
        return await RevisionAsync(revision.Id);
    }

    public async Task<RevisionView> ApproveAndDeployAsync(int revisionId)
    {
        await Get<ApprovalCommands>().ApproveAsync(new ApproveRevision(revisionId, "ok"), WorkflowTest.Bob, default);
        await Get<DeployJob>().RunAsync(revisionId, default);
        return await RevisionAsync(revisionId);
    }

    public async Task<RevisionView> RevisionAsync(int revisionId)
    {
        await using var db = await Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return await db.ReadViewAsync(revisionId, default);
    }

    public async Task<List<Portal.Jobs.StackEvents.StackEvent>> EventsAsync(int? revisionId = null)
    {
        await using var db = await Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return await db.StackEvents.Where(e => revisionId == null || e.RevisionId == revisionId).OrderBy(e => e.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes) scope.Dispose();
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
