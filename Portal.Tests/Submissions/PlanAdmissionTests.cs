using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;
using Waiting = Portal.Jobs.Deployments.PlanAdmission.Waiting;

namespace Portal.Tests.Submissions;

/// <summary>Whose plan starts next: the person with the fewest plans running, below the cap, then whoever waited longest.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class PlanAdmissionTests
{
    private static readonly PersonId Alice = PersonId.Development("alice"), Bob = PersonId.Development("bob"), Carol = PersonId.Development("carol");

    [Fact]
    public void TurnsGoToWhoeverHasTheFewestPlansRunningAndNobodyPassesTheCap()
    {
        Waiting[] waiting = [new(1, Alice), new(2, Alice), new(3, Alice), new(4, Bob), new(5, Carol), new(6, Bob)];

        var chosen = PlanAdmission.Choose(waiting, new Dictionary<PersonId, int> { [Alice] = 1 }, cap: 2);

        // bob and carol run nothing, alice one: bob (waited longer than carol), carol, then one each until the cap.
        Assert.Equal([4, 5, 1, 6], chosen);
    }

    [Fact]
    public void SomeoneAtTheCapWaitsHoweverLongTheyHaveWaited()
    {
        var chosen = PlanAdmission.Choose([new(1, Alice), new(2, Bob)], new Dictionary<PersonId, int> { [Alice] = 3 }, cap: 3);

        Assert.Equal([2], chosen);
    }
}

/// <summary>The plan queue as the plan job uses it, on the jobs' database.</summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class PlanAdmissionStoreTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync(settings: _ => new Dictionary<string, string?>
    {
        ["Submissions:PlansPerUser"] = "1",
    });

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Fact]
    public async Task APlanStuckPastItsRetriesNoLongerHoldsItsRequestersTurn()
    {
        var stuck = await SubmitAsync("orders-a");
        await _jobs.Get<PlanAdmission>().AdmitAsync(stuck.Id, default);
        var waiting = await SubmitAsync("orders-b");

        await _jobs.Get<PlanAdmission>().AdmitAsync(waiting.Id, default);
        Assert.Equal(RevisionStatus.Submitted, (await _jobs.RevisionAsync(waiting.Id)).Status);

        await using (var db = await _jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync())
        {
            var since = DateTimeOffset.UtcNow - PlanAdmission.StaleAfter - TimeSpan.FromMinutes(1);
            await db.Revisions.Where(r => r.Id == stuck.Id).ExecuteUpdateAsync(set => set.SetProperty(r => r.StatusChangedAt, since));
        }
        await _jobs.Get<PlanAdmission>().AdmitAsync(waiting.Id, default);

        Assert.Equal((RevisionStatus.Planning, RevisionStatus.Planning),
            ((await _jobs.RevisionAsync(stuck.Id)).Status, (await _jobs.RevisionAsync(waiting.Id)).Status));
    }

    private Task<RevisionView> SubmitAsync(string name) =>
        _jobs.Get<EnvironmentCommands>().SubmitAsync(new SubmitEnvironment(JobsFixture.Spec(name)), WorkflowTest.Alice, default);
}
