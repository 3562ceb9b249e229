using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Infra;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Jobs;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Revisions;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;

namespace Portal.Tests.Postgres;

/// <summary>
/// Two workers on one PostgreSQL database (two job containers, each with its own in-process state, as two processes
/// have) both start a job for one revision, as start-up recovery of a worker that starts mid-deploy does.
/// On a cluster of its own.
/// </summary>
[Trait(Lanes.Category, Lanes.Postgres)]
public sealed class CrossProcessClaimTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private JobsFixture _first = null!;
    private ServiceProvider _second = null!;
    private readonly CountingCloudFormation _secondCalls = new();
    private string _database = null!;

    public async Task InitializeAsync()
    {
        if (PostgresServer.Missing is not null) return;
        _database = await postgres.CreateDatabaseAsync();
        _first = await JobsFixture.StartAsync(settings: _ => new Dictionary<string, string?>
        {
            [DatabaseConfiguration.ProviderKey] = nameof(DatabaseProvider.Postgres),
            [TestDatabase.ConnectionStringKey] = _database,
        });
        // The second worker: the same configuration (database, sandbox), its own claims, and its CloudFormation calls counted.
        _second = new ServiceCollection().AddLogging()
            .AddSingleton<ICloudFormationFactory>(services => _secondCalls.Wrap(ActivatorUtilities.CreateInstance<CloudFormationFactory>(services)))
            .AddPortalInfra(_first.Configuration).AddPortalWorkflow(_first.Configuration).AddPortalJobs(_first.Configuration)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (PostgresServer.Missing is not null) return;
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [PostgresFact]
    public async Task ADeployStartedOnTwoWorkersIsWatchedByOneAndTheOtherWaitsThenFindsItDone()
    {
        var planned = await _first.SubmitAndPlanAsync(JobsFixture.Spec("claim-once"));
        await _first.Get<ApprovalCommands>().ApproveAsync(new ApproveRevision(planned.Id), WorkflowTest.Bob, default);
        var sandbox = _first.Sandbox.CloudFormation;
        var held = sandbox.PauseAtAsync(c => c.Action == "DescribeStackEvents" && c.StackStatus == StackStatus.CreateInProgress);
        Task first, second;
        try
        {
            first = _first.Get<DeployJob>().RunAsync(planned.Id, default);
            await held.WaitAsync(Deadline);
            using var scope = _second.CreateScope();
            second = scope.ServiceProvider.GetRequiredService<DeployJob>().RunAsync(planned.Id, default);

            // The second worker's job waits on the revision's lock while the first watches the stack.
            await Poll.UntilAsync(async () => await WaitersAsync(planned.Id) == 1, "the second job waiting for the claim", 60);
            Assert.False(second.IsCompleted);
        }
        finally
        {
            sandbox.Resume();
        }
        await first.WaitAsync(Deadline);
        await second.WaitAsync(Deadline);

        Assert.Equal(RevisionStatus.Deployed, (await _first.RevisionAsync(planned.Id)).Status);
        Assert.Equal(1, sandbox.CallCount("ExecuteChangeSet"));
        Assert.True(sandbox.CallCount("DescribeStackEvents") > 0);
        // The second job found the revision deployed: it never called CloudFormation, so it never watched.
        Assert.Empty(_secondCalls.Calls);
    }

    [PostgresFact]
    public async Task AClaimPassesToTheWaitingWorkerAsSoonAsTheHoldersConnectionDiesAndAWaitCanBeCancelled()
    {
        const int revisionId = 4242;
        var held = await _first.Get<JobClaims>().ClaimRevisionAsync(revisionId, default);
        var claims = _second.GetRequiredService<JobClaims>();

        using (var stop = new CancellationTokenSource())
        {
            var cancelled = claims.ClaimRevisionAsync(revisionId, stop.Token);
            await Poll.UntilAsync(async () => await WaitersAsync(revisionId) == 1, "a job waiting for the claim", 60);
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        }
        await Poll.UntilAsync(async () => await WaitersAsync(revisionId) == 0, "the cancelled wait to leave the server", 30);

        var waiting = claims.ClaimRevisionAsync(revisionId, default);
        await Poll.UntilAsync(async () => await WaitersAsync(revisionId) == 1, "a job waiting for the claim", 60);
        Assert.False(waiting.IsCompleted);
        // What the server sees when a worker's process dies: its session ends.
        await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_locks WHERE {LockOf(revisionId)} AND granted");
        await using (await waiting.WaitAsync(Deadline))
        {
            Assert.Equal(0, await WaitersAsync(revisionId));
        }
        await held.DisposeAsync();
    }

    private static string LockOf(int revisionId) =>
        $"locktype = 'advisory' AND classid = {JobClaims.RevisionSpace} AND objid = {revisionId} AND objsubid = 2";

    /// <summary>Sessions waiting for the revision's advisory lock.</summary>
    private async Task<long> WaitersAsync(int revisionId) =>
        (long)(await ExecuteAsync($"SELECT count(*) FROM pg_locks WHERE {LockOf(revisionId)} AND NOT granted"))!;

    private async Task<object?> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Every CloudFormation call a worker's clients make, by method name.</summary>
    private sealed class CountingCloudFormation
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public ICloudFormationFactory Wrap(CloudFormationFactory factory) => new Factory(factory, this);

        private sealed class Factory(CloudFormationFactory inner, CountingCloudFormation calls) : ICloudFormationFactory, IDisposable
        {
            public ICloudFormation For(string targetName)
            {
                var proxy = DispatchProxy.Create<ICloudFormation, Counting>();
                ((Counting)(object)proxy).Attach(inner.For(targetName), calls.Calls);
                return proxy;
            }

            public void Dispose() => inner.Dispose();
        }
    }

    public class Counting : DispatchProxy
    {
        private ICloudFormation _inner = null!;
        private ConcurrentQueue<string> _calls = null!;

        internal void Attach(ICloudFormation inner, ConcurrentQueue<string> calls) => (_inner, _calls) = (inner, calls);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            _calls.Enqueue(targetMethod!.Name);
            return targetMethod.Invoke(_inner, args);
        }
    }
}
