using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Notifications;
using Portal.Jobs.Revisions;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;
using EnvironmentStatus = Portal.Jobs.Environments.EnvironmentStatus;

namespace Portal.Tests.Expiry;

/// <summary>
/// The expiry job against real plan and deploy jobs and the sandbox: an environment past its expiry gets one destroy,
/// however often (and however concurrently) the job runs; the target's policy approves it or approvers must.
/// Target "sandbox" auto-approves expiry; target "manual" does not.
/// </summary>
[Collection(Portal.Tests.Web.HostCollection.Name)]
public sealed class ExpiryJobTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync(settings: sandbox => new Dictionary<string, string?>
    {
        ["Targets:sandbox:Expiry:AutoApprove"] = "true",
        ["Targets:manual:Kind"] = "Sandbox",
        ["Targets:manual:ServiceUrl"] = sandbox.ToString(),
    });

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Fact]
    public async Task An_expired_environment_on_an_auto_approving_target_gets_one_destroy_approved_by_policy_and_is_destroyed()
    {
        await DeployedAsync("orders-dev", "sandbox");
        await PassExpiryAsync("orders-dev");

        // Two workers at once, then once more: still one destroy.
        await Task.WhenAll(_jobs.Get<ExpiryJob>().RunAsync(default), _jobs.Get<ExpiryJob>().RunAsync(default));
        await _jobs.Get<ExpiryJob>().RunAsync(default);

        var destroy = Assert.Single(await DestroysAsync("orders-dev"));
        Assert.Equal(ExpiryRules.Requester, destroy.RequestedBy);
        await _jobs.Get<PlanJob>().RunAsync(destroy.Id, default);
        Assert.Equal(RevisionStatus.Approved, (await _jobs.RevisionAsync(destroy.Id)).Status);
        await _jobs.Get<DeployJob>().RunAsync(destroy.Id, default);

        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        Assert.Equal(EnvironmentStatus.Destroyed, detail.Environment.Status);
        Assert.Contains(detail.Audit, a => a.WhoId == ExpiryRules.Requester.Id && a.What == "Expired" && a.RevisionNumber == destroy.Number);
        Assert.Contains(detail.Audit, a => a.WhoId == ExpiryRules.Policy.Id && a.What == "Approved by policy"
                                           && a.Details!.Contains("Targets:sandbox:Expiry:AutoApprove"));
        Assert.Single(await NotificationsAsync("orders-dev", NotificationEvent.Expired));
    }

    [Fact]
    public async Task On_a_target_without_auto_approval_the_expiry_destroy_waits_for_approvers_and_extending_withdraws_it()
    {
        await DeployedAsync("orders-qa", "manual");
        await PassExpiryAsync("orders-qa");

        await _jobs.Get<ExpiryJob>().RunAsync(default);
        var destroy = Assert.Single(await DestroysAsync("orders-qa"));
        await _jobs.Get<PlanJob>().RunAsync(destroy.Id, default);
        await _jobs.Get<ExpiryJob>().RunAsync(default);

        Assert.Equal(RevisionStatus.AwaitingApproval, (await _jobs.RevisionAsync(destroy.Id)).Status);
        Assert.Single(await DestroysAsync("orders-qa"));

        var extended = DateTimeOffset.UtcNow.AddDays(7);
        var view = await _jobs.Get<ExpiryCommands>().SetAsync(new SetExpiry("orders-qa", extended), WorkflowTest.Alice, default);
        await _jobs.Get<ExpiryJob>().RunAsync(default);

        Assert.Null(view.ExpiredAt);
        Assert.Equal(extended.ToUnixTimeMilliseconds(), view.ExpiresAt!.Value.ToUnixTimeMilliseconds());
        var withdrawn = await _jobs.RevisionAsync(destroy.Id);
        Assert.Equal(RevisionStatus.Cancelled, withdrawn.Status);
        Assert.StartsWith("expiry extended to", withdrawn.StatusReason);
        Assert.Single(await DestroysAsync("orders-qa"));
        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-qa", default);
        Assert.Equal(EnvironmentStatus.Deployed, detail.Environment.Status);
    }

    private async Task DeployedAsync(string name, string target)
    {
        var spec = JobsFixture.Spec(name) with { Target = target };
        var revision = await _jobs.Get<EnvironmentCommands>().SubmitAsync(
            new SubmitEnvironment(spec, DateTimeOffset.UtcNow.AddHours(1)), WorkflowTest.Alice, default);
        await _jobs.Get<PlanJob>().RunAsync(revision.Id, default);
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(revision.Id)).Status);
    }

    /// <summary>Time passes: the expiry (validated as future when set) is now behind us.</summary>
    private async Task PassExpiryAsync(string name)
    {
        await using var db = await _jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        await db.Environments.Where(e => e.Name == name)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
    }

    private async Task<List<Revision>> DestroysAsync(string name)
    {
        await using var db = await _jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return await db.Revisions.AsNoTracking().Where(r => r.Environment.Name == name && r.Kind == RevisionKind.Destroy).ToListAsync();
    }

    private async Task<List<Notification>> NotificationsAsync(string name, NotificationEvent @event)
    {
        await using var db = await _jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.EnvironmentName == name && n.Event == @event).ToListAsync();
    }
}
