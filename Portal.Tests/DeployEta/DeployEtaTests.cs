using Portal.Infra.Deployments;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Eta = Portal.Jobs.Deployments.Eta.DeployEta;

namespace Portal.Tests.DeployEta;

/// <summary>How the deploy ETA learns durations from earlier deploys and predicts what is left of one in flight.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class DeployEtaTests
{
    private const string Vpc = "AWS::EC2::VPC";
    private const string Subnet = "AWS::EC2::Subnet";
    private const string Nat = "AWS::EC2::NatGateway";
    private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    private const string Service = "AWS::ECS::Service";
    private const string Task = "AWS::ECS::TaskDefinition";

    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HistoryTakesTheMedianPerResourceTypeAndOperation()
    {
        var history = DeployHistory.From(
        [
            Deploy(("Nat", Nat, "CREATE", 60), ("Svc", Service, "UPDATE", 30)),
            Deploy(("Nat", Nat, "CREATE", 90)),
            Deploy(("Nat", Nat, "CREATE", 900), ("Svc", Service, "UPDATE", 50)),
        ]);

        Assert.Equal(3, history.Deploys);
        Assert.Equal(TimeSpan.FromSeconds(90), history.Median(new ResourceStep(Nat, ResourceOperation.Create)));
        Assert.Equal(TimeSpan.FromSeconds(40), history.Median(new ResourceStep(Service, ResourceOperation.Update)));
        Assert.Null(history.Median(new ResourceStep(Service, ResourceOperation.Create)));
    }

    [Fact]
    public void ADurationRunsFromTheFirstInProgressToTheCompleteAndIgnoresTheStacksOwnEvents()
    {
        EtaEvent[] replacement =
        [
            new("portal-x", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", Start),
            new("Task", Task, "UPDATE_IN_PROGRESS", Start.AddSeconds(1)),
            new("Task", Task, "UPDATE_IN_PROGRESS", Start.AddSeconds(2)), // "Resource creation Initiated" of the new copy
            new("Task", Task, "UPDATE_COMPLETE", Start.AddSeconds(8)),
            new("Task", Task, "DELETE_IN_PROGRESS", Start.AddSeconds(10)),
            new("Task", Task, "DELETE_COMPLETE", Start.AddSeconds(13)),
            new("portal-x", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", Start.AddSeconds(14)),
        ];

        var durations = DeployHistory.Durations(replacement).ToList();

        Assert.Equal(
            [(new ResourceStep(Task, ResourceOperation.Update), TimeSpan.FromSeconds(7)), (new ResourceStep(Task, ResourceOperation.Delete), TimeSpan.FromSeconds(3))],
            durations);
    }

    [Fact]
    public void WithoutHistoryEveryTypeTakesItsDefaultAndThePredictionIsRough()
    {
        var plan = Create(("Nat", Nat, []), ("Alb", Alb, []), ("Public1", Subnet, []));

        var eta = Eta.Predict(plan, DeployHistory.Empty, [], Start)!;

        Assert.Equal(EtaBasis.Default, eta.Basis);
        Assert.True(eta.IsRough);
        Assert.Equal([Nat, Subnet, Alb], eta.DefaultedTypes);
        // Independent of each other: the slowest default, the load balancer's, is the whole wait.
        Assert.Equal(EtaDefaults.Duration(new ResourceStep(Alb, ResourceOperation.Create)), eta.Remaining);
    }

    [Fact]
    public void DependentChangesAddUpAndIndependentOnesOverlap()
    {
        var history = DeployHistory.From([Deploy(("Vpc", Vpc, "CREATE", 10), ("Sub", Subnet, "CREATE", 5), ("Nat", Nat, "CREATE", 100), ("Alb", Alb, "CREATE", 150))]);
        // VPC → subnet → NAT (115 s) runs beside VPC → subnet → ALB (165 s).
        var plan = Create(("Vpc", Vpc, []), ("Public1", Subnet, ["Vpc"]), ("Nat", Nat, ["Public1"]), ("Alb", Alb, ["Public1"]));

        var eta = Eta.Predict(plan, history, [], Start)!;

        Assert.Equal(EtaBasis.History, eta.Basis);
        Assert.Empty(eta.DefaultedTypes);
        Assert.Equal(TimeSpan.FromSeconds(165), eta.Remaining);
    }

    [Fact]
    public void APlanWithoutDependenciesCountsEveryChangeAsRunningAtOnce()
    {
        var history = DeployHistory.From([Deploy(("Vpc", Vpc, "CREATE", 10), ("Sub", Subnet, "CREATE", 5), ("Nat", Nat, "CREATE", 100))]);
        var plan = Create(("Vpc", Vpc, []), ("Public1", Subnet, []), ("Nat", Nat, [])) with { Dependencies = new Dictionary<string, IReadOnlyList<string>>() };

        Assert.Equal(TimeSpan.FromSeconds(100), Eta.Predict(plan, history, [], Start)!.Remaining);
    }

    [Fact]
    public void TheRemainingTimeShrinksAsResourcesComplete()
    {
        var history = DeployHistory.From([Deploy(("Vpc", Vpc, "CREATE", 10), ("Sub", Subnet, "CREATE", 5), ("Nat", Nat, "CREATE", 100))]);
        var plan = Create(("Vpc", Vpc, []), ("Public1", Subnet, ["Vpc"]), ("Nat", Nat, ["Public1"]));
        List<EtaEvent> events = [];

        TimeSpan At(double seconds) => Eta.Predict(plan, history, events, Start.AddSeconds(seconds))!.Remaining;

        var atStart = At(0);
        events.Add(new("Vpc", Vpc, "CREATE_IN_PROGRESS", Start));
        var vpcHalfway = At(5);
        events.Add(new("Vpc", Vpc, "CREATE_COMPLETE", Start.AddSeconds(10)));
        events.Add(new("Public1", Subnet, "CREATE_IN_PROGRESS", Start.AddSeconds(10)));
        events.Add(new("Public1", Subnet, "CREATE_COMPLETE", Start.AddSeconds(15)));
        events.Add(new("Nat", Nat, "CREATE_IN_PROGRESS", Start.AddSeconds(15)));
        var natStarted = At(15);
        var natLate = At(300);
        events.Add(new("Nat", Nat, "CREATE_COMPLETE", Start.AddSeconds(301)));
        var done = At(301);

        Assert.Equal(TimeSpan.FromSeconds(115), atStart);
        Assert.Equal(TimeSpan.FromSeconds(110), vpcHalfway);
        Assert.Equal(TimeSpan.FromSeconds(100), natStarted);
        Assert.Equal(TimeSpan.Zero, natLate); // overdue: never negative
        Assert.Equal(TimeSpan.Zero, done);
    }

    [Fact]
    public void ADestroyDeletesWhatDependsOnAResourceBeforeIt()
    {
        var history = DeployHistory.From([Deploy(("Vpc", Vpc, "DELETE", 10), ("Nat", Nat, "DELETE", 60), ("Svc", Service, "DELETE", 120))]);
        // The service needs the NAT (egress), the NAT needs the VPC: deleted service, then NAT, then VPC.
        var plan = new RevisionPlan
        {
            Operation = "DELETE",
            Changes = [Change("Remove", "Vpc", Vpc), Change("Remove", "Nat", Nat), Change("Remove", "Svc", Service)],
            Dependencies = Dependencies(("Vpc", []), ("Nat", ["Vpc"]), ("Svc", ["Nat"])),
        };

        var eta = Eta.Predict(plan, history, [new("Svc", Service, "DELETE_IN_PROGRESS", Start)], Start.AddSeconds(20))!;

        Assert.Equal(TimeSpan.FromSeconds(100 + 60 + 10), eta.Remaining);
    }

    [Fact]
    public void AnUpdateDeletesRemovedAndReplacedResourcesInTheCleanupAtTheEnd()
    {
        var history = DeployHistory.From([Deploy(("Task", Task, "UPDATE", 4), ("Task", Task, "DELETE", 3), ("Svc", Service, "UPDATE", 60), ("Old", Nat, "DELETE", 50))]);
        var plan = new RevisionPlan
        {
            Operation = "UPDATE",
            Changes =
            [
                new PlannedChange("Modify", "Task", Task, "True", ["ContainerDefinitions"]),
                Change("Modify", "Svc", Service),
                Change("Remove", "Old", Nat),
            ],
            Dependencies = Dependencies(("Task", []), ("Svc", ["Task"])),
        };

        var eta = Eta.Predict(plan, history, [], Start)!;

        // Task then service (64 s), then the old task definition and the NAT gateway go side by side (50 s).
        Assert.Equal(TimeSpan.FromSeconds(64 + 50), eta.Remaining);
    }

    [Fact]
    public void SomeTypesWithoutHistoryMakeAMixedRoughPrediction()
    {
        var history = DeployHistory.From([Deploy(("Svc", Service, "UPDATE", 60))]);
        var plan = new RevisionPlan { Operation = "UPDATE", Changes = [Change("Modify", "Svc", Service), Change("Modify", "Alb", Alb)] };

        var eta = Eta.Predict(plan, history, [], Start)!;

        Assert.Equal(EtaBasis.Mixed, eta.Basis);
        Assert.True(eta.IsRough);
        Assert.Equal([Alb], eta.DefaultedTypes);
    }

    [Fact]
    public void NothingIsPredictedOnceAResourceFailedOrForAnEmptyChangeSet()
    {
        var plan = Create(("Svc", Service, []));

        Assert.Null(Eta.Predict(plan, DeployHistory.Empty, [new("Svc", Service, "CREATE_FAILED", Start)], Start));
        Assert.Null(Eta.Predict(new RevisionPlan { Operation = "UPDATE", NoChanges = true }, DeployHistory.Empty, [], Start));
    }

    /// <summary>One earlier deploy: each resource's step started at <see cref="Start"/> and completed after its seconds.</summary>
    private static EtaEvent[] Deploy(params (string LogicalId, string Type, string Operation, double Seconds)[] steps) =>
    [
        .. steps.SelectMany(s => new EtaEvent[]
        {
            new(s.LogicalId, s.Type, $"{s.Operation}_IN_PROGRESS", Start),
            new(s.LogicalId, s.Type, $"{s.Operation}_COMPLETE", Start.AddSeconds(s.Seconds)),
        }),
    ];

    private static RevisionPlan Create(params (string LogicalId, string Type, string[] DependsOn)[] resources) => new()
    {
        Operation = "CREATE",
        Changes = [.. resources.Select(r => Change("Add", r.LogicalId, r.Type))],
        Dependencies = Dependencies([.. resources.Select(r => (r.LogicalId, r.DependsOn))]),
    };

    private static PlannedChange Change(string action, string logicalId, string type) => new(action, logicalId, type, null, []);

    private static Dictionary<string, IReadOnlyList<string>> Dependencies(params (string LogicalId, string[] DependsOn)[] resources) =>
        resources.ToDictionary(r => r.LogicalId, r => (IReadOnlyList<string>)r.DependsOn);
}
