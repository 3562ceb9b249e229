using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Notifications;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Jobs;
using Portal.Tests.Sandbox;
using Portal.Tests.Workflow;
using EnvironmentStatus = Portal.Jobs.Environments.EnvironmentStatus;

namespace Portal.Tests.Expiry;

/// <summary>
/// The expiry job against real plan and deploy jobs and the sandbox: an environment past its expiry gets one destroy,
/// however often (and however concurrently) the job runs; the target's policy approves it or approvers must.
/// Target "sandbox" auto-approves expiry; target "manual" does not.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
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
    public async Task AnExpiredEnvironmentOnAnAutoApprovingTargetGetsOneDestroyApprovedByPolicyAndIsDestroyed()
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
        // The expiry ended with the stack: the environment, created again, does not inherit it.
        var expiry = await _jobs.Get<ExpiryQueries>().GetAsync("orders-dev", default);
        Assert.Equal((null, null), (expiry.ExpiresAt, expiry.ExpiredAt));
        Assert.Contains(detail.Audit, a => a.WhoId == ExpiryRules.Requester.Id && a.What == "Expired" && a.RevisionNumber == destroy.Number);
        Assert.Contains(detail.Audit, a => a.WhoId == ExpiryRules.Policy.Id && a.What == "Approved by policy"
                                           && a.Details!.Contains("Targets:sandbox:Expiry:AutoApprove"));
        Assert.Single(await NotificationsAsync("orders-dev", NotificationEvent.Expired));
    }

    [Fact]
    public async Task OnATargetWithoutAutoApprovalTheExpiryDestroyWaitsForApproversAndExtendingWithdrawsIt()
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

    [Fact]
    public async Task WithdrawingOrRejectingTheExpiryDestroyDoesNotKeepTheEnvironmentOnlyExtendingDoes()
    {
        await DeployedAsync("orders-qa", "manual");
        await PassExpiryAsync("orders-qa");
        await _jobs.Get<ExpiryJob>().RunAsync(default);
        var first = await PlannedDestroyAsync("orders-qa", 2);
        var expiredAt = (await _jobs.Get<ExpiryQueries>().GetAsync("orders-qa", default)).ExpiredAt;

        // The owner may not withdraw it, nor replace it with a change: extending is how an environment is kept.
        var withdraw = await Assert.ThrowsAsync<WorkflowException>(() =>
            _jobs.Get<RevisionCommands>().CancelAsync(new CancelRevision(first.Id), WorkflowTest.Alice, default));
        Assert.Equal(WorkflowErrorCode.Forbidden, withdraw.Code);
        Assert.Contains("Extend the expiry to keep it", withdraw.Message);
        var change = await Assert.ThrowsAsync<WorkflowException>(() =>
            _jobs.Get<EnvironmentCommands>().UpdateAsync(new SubmitUpdate("orders-qa", JobsFixture.Spec("orders-qa", tag: "2.0.0") with { Target = "manual" }), WorkflowTest.Alice, default));
        Assert.Equal(WorkflowErrorCode.Conflict, change.Code);
        Assert.Contains("extend its expiry to keep it", change.Message);

        // An approver rejects it: the next run asks again.
        await _jobs.Get<ApprovalCommands>().RejectAsync(new RejectRevision(first.Id, "not today"), WorkflowTest.Bob, default);
        await _jobs.Get<ExpiryJob>().RunAsync(default);
        var second = await PlannedDestroyAsync("orders-qa", 3);

        // An admin withdraws it (a retry, e.g. after its plan failed): the next run asks again.
        await _jobs.Get<RevisionCommands>().CancelAsync(new CancelRevision(second.Id), WorkflowTest.Dana, default);
        await _jobs.Get<ExpiryJob>().RunAsync(default);
        var third = await PlannedDestroyAsync("orders-qa", 4);
        await _jobs.Get<ExpiryJob>().RunAsync(default);
        Assert.Equal(3, (await DestroysAsync("orders-qa")).Count);

        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-qa", default);
        Assert.Contains(detail.Audit, a => a.What == "Expired" && a.Details!.EndsWith("destroy requested again as revision 4"));
        Assert.Equal(expiredAt, (await _jobs.Get<ExpiryQueries>().GetAsync("orders-qa", default)).ExpiredAt);
        Assert.Equal(3, (await NotificationsAsync("orders-qa", NotificationEvent.Expired)).Count);

        await _jobs.Get<ExpiryCommands>().SetAsync(new SetExpiry("orders-qa", DateTimeOffset.UtcNow.AddDays(7)), WorkflowTest.Alice, default);
        await _jobs.Get<ExpiryJob>().RunAsync(default);
        Assert.Equal(RevisionStatus.Cancelled, (await _jobs.RevisionAsync(third.Id)).Status);
        Assert.Equal(3, (await DestroysAsync("orders-qa")).Count);
    }

    [Fact]
    public async Task AnExpiryDestroyThatFailedIsNotRequestedAgainAndAgain()
    {
        await DeployedAsync("orders-dev", "sandbox");
        _jobs.Sandbox.CloudFormation.AddDependentObject("portal-orders-dev", await SecurityGroupAsync("portal-orders-dev"));
        await PassExpiryAsync("orders-dev");
        await _jobs.Get<ExpiryJob>().RunAsync(default);
        var destroy = Assert.Single(await DestroysAsync("orders-dev"));
        await _jobs.Get<PlanJob>().RunAsync(destroy.Id, default);
        await _jobs.Get<DeployJob>().RunAsync(destroy.Id, default);
        Assert.Equal(RevisionStatus.Failed, (await _jobs.RevisionAsync(destroy.Id)).Status);

        await _jobs.Get<ExpiryJob>().RunAsync(default);

        Assert.Single(await DestroysAsync("orders-dev"));
    }

    /// <summary>The expiry destroy numbered <paramref name="number"/>, requested by expiry and planned (awaiting approval).</summary>
    private async Task<Revision> PlannedDestroyAsync(string name, int number)
    {
        var destroy = Assert.Single(await DestroysAsync(name), r => r.Number == number);
        Assert.Equal(ExpiryRules.Requester, destroy.RequestedBy);
        await _jobs.Get<PlanJob>().RunAsync(destroy.Id, default);
        Assert.Equal(RevisionStatus.AwaitingApproval, (await _jobs.RevisionAsync(destroy.Id)).Status);
        return destroy;
    }

    /// <summary>A security group of the stack: something outside CloudFormation can depend on it and block its delete.</summary>
    private async Task<string> SecurityGroupAsync(string stack) =>
        (await _jobs.Sandbox.EventsAsync(stack)).First(e => e.ResourceType == "AWS::EC2::SecurityGroup").LogicalResourceId!;

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
