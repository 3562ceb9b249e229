using System.Reflection;
using Portal.Tests.Workflow;

namespace Portal.Tests.Support;

/// <summary>Every test runs in a lane (<see cref="Lanes"/>), so a filter by category finds it.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class LaneTests
{
    private static readonly IReadOnlyList<Type> TestClasses = [.. typeof(LaneTests).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false })
        .Where(type => type.GetMethods().Any(method => method.GetCustomAttributes<FactAttribute>(inherit: true).Any()))];

    [Fact]
    public void EveryTestClassRunsInOneKnownLane()
    {
        Assert.NotEmpty(TestClasses);
        var strays = TestClasses
            .Select(type => (type, lanes: Lanes.Traits(type, Lanes.Category)))
            .Where(test => test.lanes is not [var lane] || !Lanes.All.Contains(lane))
            .Select(test => $"{test.type.FullName}: [{string.Join(", ", test.lanes)}]");
        Assert.Empty(strays);
    }

    [Fact]
    public void NoUnitOrComponentTestStartsThePortalHost()
    {
        // A collection's fixtures start when any of its tests runs: a Unit test in the Host collection would start the
        // portal host in the fast lane.
        string[] hosted = [HostCollection.Name, BrowserHostCollection.Name];
        var hosting = TestClasses
            .Where(type => Lanes.Traits(type, Lanes.Category) is [Lanes.Unit or Lanes.Component])
            .Where(type => Lanes.Arguments(type, typeof(CollectionAttribute)).Any(arguments => hosted.Contains(arguments[0])))
            .Select(type => type.FullName);
        Assert.Empty(hosting);
    }

    [Fact]
    public void EveryWorkflowTestRunsAgainOnPostgres()
    {
        // A WorkflowTest stores through TestDatabase; without the mark the PostgreSQL pass would leave it out.
        var unmarked = TestClasses
            .Where(type => type.IsSubclassOf(typeof(WorkflowTest)))
            .Where(type => !Lanes.Traits(type, Lanes.Database).Contains(Lanes.Stored))
            .Select(type => type.FullName);
        Assert.Empty(unmarked);
    }
}
