using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Workflow;
using Portal.Tests.Workflow;

namespace Portal.Tests.Expiry;

/// <summary>Setting and extending an environment's expiry: where it may fall, who may move it, and the audit trail.</summary>
[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class ExpiryRulesTests : WorkflowTest
{
    private Task<Portal.Jobs.Revisions.RevisionView> SubmitExpiringAsync(string name, DateTimeOffset? expiresAt) =>
        Environments.SubmitAsync(new SubmitEnvironment(Spec(name), expiresAt), Alice, CancellationToken.None);

    [Fact]
    public async Task ARequestExpiringInThePastIsRefusedNamingExpiresAtWithTheSpecErrors()
    {
        var spec = Spec("orders-dev") with { Name = "Orders" };

        var refused = await Assert.ThrowsAsync<WorkflowException>(() =>
            Environments.SubmitAsync(new SubmitEnvironment(spec, DateTimeOffset.UtcNow.AddMinutes(-5)), Alice, CancellationToken.None));

        Assert.Equal(WorkflowErrorCode.Invalid, refused.Code);
        Assert.Contains(refused.Errors, e => e.Field == "name");
        var expiry = Assert.Single(refused.Errors, e => e.Field == ExpiryRules.Field);
        Assert.Contains("must be in the future", expiry.Message);
    }

    [Fact]
    public async Task ARequestExpiringBeyondTheTargetsMaximumIsRefusedNamingExpiresAt()
    {
        var refused = await Assert.ThrowsAsync<WorkflowException>(() =>
            SubmitExpiringAsync("orders-dev", DateTimeOffset.UtcNow.AddDays(TargetExpiryDefaults + 1)));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("expiresAt", error.Field);
        Assert.Contains($"at most {TargetExpiryDefaults} days ahead on target 'sandbox'", error.Message);
    }

    [Fact]
    public async Task AnEnvironmentRequestedWithAnExpiryKeepsItAndTheAuditSaysSo()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddDays(3);

        await SubmitExpiringAsync("orders-dev", expiresAt);

        var expiry = await Get<ExpiryQueries>().GetAsync("orders-dev", CancellationToken.None);
        Assert.Equal(expiresAt.ToUnixTimeMilliseconds(), expiry.ExpiresAt!.Value.ToUnixTimeMilliseconds());
        Assert.Null(expiry.ExpiredAt);
        var audit = (await Queries.GetAsync("orders-dev", CancellationToken.None)).Audit;
        Assert.Contains(audit, a => a.What == "Expiry set" && a.Who == "alice" && a.Details == ExpiryRules.Format(expiresAt));
    }

    [Fact]
    public async Task TheOwnerExtendsTheExpiryAndTheAuditShowsFromAndTo()
    {
        var first = DateTimeOffset.UtcNow.AddHours(20);
        await SubmitExpiringAsync("orders-dev", first);
        var extended = DateTimeOffset.UtcNow.AddDays(10);

        var view = await Get<ExpiryCommands>().SetAsync(new SetExpiry("orders-dev", extended), Alice, CancellationToken.None);

        Assert.Equal(extended.ToUnixTimeMilliseconds(), view.ExpiresAt!.Value.ToUnixTimeMilliseconds());
        var audit = (await Queries.GetAsync("orders-dev", CancellationToken.None)).Audit;
        Assert.Contains(audit, a => a.What == "Expiry extended" && a.Who == "alice"
                                    && a.Details == $"{ExpiryRules.Format(first)} → {ExpiryRules.Format(extended)}");
    }

    [Fact]
    public async Task ExtendingFollowsTheSameRulesAndOnlyTheOwnerOrAnAdminMay()
    {
        await SubmitExpiringAsync("orders-dev", DateTimeOffset.UtcNow.AddHours(20));
        var commands = Get<ExpiryCommands>();

        var tooFar = await Assert.ThrowsAsync<WorkflowException>(() =>
            commands.SetAsync(new SetExpiry("orders-dev", DateTimeOffset.UtcNow.AddDays(365)), Alice, CancellationToken.None));
        Assert.Equal("expiresAt", Assert.Single(tooFar.Errors).Field);

        var stranger = await Assert.ThrowsAsync<WorkflowException>(() =>
            commands.SetAsync(new SetExpiry("orders-dev", DateTimeOffset.UtcNow.AddDays(2)), Erin, CancellationToken.None));
        Assert.Equal(WorkflowErrorCode.Forbidden, stranger.Code);

        var byAdmin = await commands.SetAsync(new SetExpiry("orders-dev", DateTimeOffset.UtcNow.AddDays(2)), Dana, CancellationToken.None);
        Assert.True(byAdmin.ExpiresAt > DateTimeOffset.UtcNow.AddDays(1));
    }

    private const int TargetExpiryDefaults = Portal.Infra.Targets.TargetExpiry.DefaultMaxDays;
}
