using Bunit;
using MudBlazor.Services;
using Portal.Infra.Deployments;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Tests.Environments;
using Portal.Web.Components.Deployments;
using Portal.Jobs.Workflow;

namespace Portal.Tests.DeployEta;

/// <summary>What the reader sees beside the progress bar: the time left while it deploys, how far off it was after.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class DeployEtaNoteTests : IAsyncLifetime
{
    private const string Nat = "AWS::EC2::NatGateway";
    private readonly BunitContext _context = new();

    public DeployEtaNoteTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void WhileDeployingItSaysHowLongIsLeftAndMovesOnAsEventsArrive()
    {
        var started = DateTimeOffset.UtcNow;
        var history = DeployHistory.From([[new("Nat", Nat, "CREATE_IN_PROGRESS", started), new("Nat", Nat, "CREATE_COMPLETE", started.AddMinutes(3))]]);
        var note = _context.Render<DeployEtaNote>(p => p
            .Add(x => x.Revision, Revision(RevisionStatus.Deploying))
            .Add(x => x.History, history)
            .Add(x => x.Events, [Event(1, "CREATE_IN_PROGRESS", started)]));

        var eta = note.Find("[data-testid=eta]");
        Assert.Equal("about 3 min left", eta.TextContent.Trim());
        Assert.Equal("History", eta.GetAttribute("data-basis"));

        note.Render(p => p.Add(x => x.Events, [Event(2, "CREATE_COMPLETE", started.AddSeconds(5)), Event(1, "CREATE_IN_PROGRESS", started)]));

        Assert.Equal("a few seconds left", note.Find("[data-testid=eta]").TextContent.Trim());
    }

    [Fact]
    public void WithoutHistoryOnTheTargetTheEstimateIsMarkedRough()
    {
        var note = _context.Render<DeployEtaNote>(p => p.Add(x => x.Revision, Revision(RevisionStatus.Deploying)));

        var eta = note.Find("[data-testid=eta]");
        Assert.Equal("about 2 min left (rough)", eta.TextContent.Trim()); // the NAT gateway's default, 100 s
        Assert.Equal("Default", eta.GetAttribute("data-basis"));
        Assert.Contains(Nat, eta.GetAttribute("title"));
    }

    [Fact]
    public void AfterTheDeployItComparesThePredictionAtTheStartWithTheTimeItTook()
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-10);
        var revision = Revision(RevisionStatus.Deployed) with
        {
            DeployStartedAt = started,
            FinishedAt = started.AddSeconds(232),
            PredictedDuration = TimeSpan.FromSeconds(250),
        };

        var note = _context.Render<DeployEtaNote>(p => p.Add(x => x.Revision, revision));

        Assert.Empty(note.FindAll("[data-testid=eta]"));
        Assert.Equal("predicted 4 min 10 s at start, took 3 min 52 s", note.Find("[data-testid=eta-outcome]").TextContent.Trim());
    }

    private static StackEventView Event(long id, string status, DateTimeOffset at) =>
        new(id, 1, $"e{id}", at, "Nat", null, Nat, status, null);

    private static RevisionView Revision(RevisionStatus status) => new(
        1, "orders-dev", 1, RevisionKind.Create, status, null, "portal", Person.Portal.Id, "alice", PersonId.Development("alice"), [], [],
        DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, 1, 1, "cs", "cs",
        new RevisionPlan { Operation = "CREATE", Changes = [new PlannedChange("Add", "Nat", Nat, null, [])] }.ToJson(),
        SpecSamples.Load(SpecSamples.OrdersDev), []);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
