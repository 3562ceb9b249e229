using Portal.Jobs.Deployments;
using Portal.Jobs.Workflow;
using Waiting = Portal.Jobs.Deployments.PlanAdmission.Waiting;

namespace Portal.Tests.Submissions;

/// <summary>Whose plan starts next: the person with the fewest plans running, below the cap, then whoever waited longest.</summary>
public sealed class PlanAdmissionTests
{
    private static readonly PersonId Alice = PersonId.Development("alice"), Bob = PersonId.Development("bob"), Carol = PersonId.Development("carol");

    [Fact]
    public void Turns_go_to_whoever_has_the_fewest_plans_running_and_nobody_passes_the_cap()
    {
        Waiting[] waiting = [new(1, Alice), new(2, Alice), new(3, Alice), new(4, Bob), new(5, Carol), new(6, Bob)];

        var chosen = PlanAdmission.Choose(waiting, new Dictionary<PersonId, int> { [Alice] = 1 }, cap: 2);

        // bob and carol run nothing, alice one: bob (waited longer than carol), carol, then one each until the cap.
        Assert.Equal([4, 5, 1, 6], chosen);
    }

    [Fact]
    public void Someone_at_the_cap_waits_however_long_they_have_waited()
    {
        var chosen = PlanAdmission.Choose([new(1, Alice), new(2, Bob)], new Dictionary<PersonId, int> { [Alice] = 3 }, cap: 3);

        Assert.Equal([2], chosen);
    }
}
