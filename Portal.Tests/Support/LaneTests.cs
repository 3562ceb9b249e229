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
            .Select(type => (type, lanes: Traits(type, Lanes.Category)))
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
            .Where(type => Traits(type, Lanes.Category) is [Lanes.Unit or Lanes.Component])
            .Where(type => Arguments(type, typeof(CollectionAttribute)).Any(arguments => hosted.Contains(arguments[0])))
            .Select(type => type.FullName);
        Assert.Empty(hosting);
    }

    [Fact]
    public void EveryWorkflowTestRunsAgainOnPostgres()
    {
        // A WorkflowTest stores through TestDatabase; without the mark the PostgreSQL pass would leave it out.
        var unmarked = TestClasses
            .Where(type => type.IsSubclassOf(typeof(WorkflowTest)))
            .Where(type => !Traits(type, Lanes.Database).Contains(Lanes.Stored))
            .Select(type => type.FullName);
        Assert.Empty(unmarked);
    }

    /// <summary>The values of the class's own traits named <paramref name="name"/>: xunit reads none of a base class.</summary>
    private static List<string> Traits(Type type, string name) =>
        [.. Arguments(type, typeof(TraitAttribute)).Where(arguments => arguments[0] == name).Select(arguments => arguments[1])];

    // xunit's attributes keep their arguments to themselves (no properties): read them as declared.
    private static IEnumerable<string[]> Arguments(Type type, Type attribute) => type.GetCustomAttributesData()
        .Where(data => data.AttributeType == attribute)
        .Select(data => data.ConstructorArguments.Select(argument => (string)argument.Value!).ToArray());
}
