using Portal.Jobs.Deployments;
using Waiting = Portal.Jobs.Deployments.PlanAdmission.Waiting;

namespace Portal.Tests.Submissions;

/// <summary>Whose plan starts next: the person with the fewest plans running, below the cap, then whoever waited longest.</summary>
public sealed class PlanAdmissionTests
{
    [Fact]
    public void Turns_go_to_whoever_has_the_fewest_plans_running_and_nobody_passes_the_cap()
    {
        Waiting[] waiting = [new(1, "alice"), new(2, "alice"), new(3, "alice"), new(4, "bob"), new(5, "carol"), new(6, "bob")];

        var chosen = PlanAdmission.Choose(waiting, new Dictionary<string, int> { ["alice"] = 1 }, cap: 2);

        // bob and carol run nothing, alice one: bob (waited longer than carol), carol, then one each until the cap.
        Assert.Equal([4, 5, 1, 6], chosen);
    }

    [Fact]
    public void Someone_at_the_cap_waits_however_long_they_have_waited()
    {
        var chosen = PlanAdmission.Choose([new(1, "alice"), new(2, "bob")], new Dictionary<string, int> { ["alice"] = 3 }, cap: 3);

        Assert.Equal([2], chosen);
    }
}
