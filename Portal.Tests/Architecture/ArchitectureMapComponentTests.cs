using System.Text.Json.Nodes;
using Bunit;
using MudBlazor.Services;
using Portal.Infra.Architecture;
using Portal.Infra.Deployments;
using Portal.Jobs.Deployments;
using Portal.Jobs.StackEvents;
using Portal.Web.Components.Deployments;
using ArchitectureMapView = Portal.Web.Components.Architecture.ArchitectureMap;
using NodeStatus = Portal.Web.Components.Architecture.NodeStatus;
using NodeStatuses = Portal.Web.Components.Architecture.NodeStatuses;

namespace Portal.Tests.Architecture;

/// <summary>The map on the environment page: node colours from the stored stack events, and choosing a node.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class ArchitectureMapComponentTests : IAsyncLifetime
{
    private const string Stack = "portal-orders-dev";
    private static readonly string TemplateJson = File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Guardrails", "Fixtures", "orders-dev.template.json"));
    private static readonly ArchitectureMap Map = ArchitectureMap.FromTemplate(TemplateJson);

    private readonly BunitContext _context = new();
    private long _nextEventId;

    public ArchitectureMapComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void EachNodeTakesTheColourOfItsResourcesLatestStatusAsEventsArrive()
    {
        var live = CreateOf(AllResources());
        Add(live, Resource("vpc"), "CREATE_IN_PROGRESS", "CREATE_COMPLETE");
        Add(live, Resource("public-alb"), "CREATE_IN_PROGRESS");
        var map = _context.Render<ArchitectureMapView>(p => p.Add(x => x.TemplateJson, TemplateJson).Add(x => x.Deployment, live));

        Assert.Equal("Complete", Status(map, "vpc"));
        Assert.Equal("InProgress", Status(map, "public-alb"));
        Assert.Equal("NotStarted", Status(map, "backend"));
        Assert.Equal("Outside", Status(map, ArchitectureMap.RegistryId));
        Assert.Equal("#1565c0", Shape(map, "public-alb").GetAttribute("stroke")); // the event table's blue
        Assert.Equal("#2e7d32", Shape(map, "vpc").GetAttribute("stroke")); // green

        // The page renders the map again whenever it read new events: the same deployment, further on.
        foreach (var id in Map.Node("public-alb")!.Resources) Add(live, id, "CREATE_IN_PROGRESS", "CREATE_COMPLETE");
        Add(live, Map.Node("frontend")!.Resources[0], "CREATE_IN_PROGRESS", "CREATE_FAILED");
        map.Render();

        Assert.Equal("Complete", Status(map, "public-alb"));
        Assert.Equal("Failed", Status(map, "frontend"));
        Assert.Equal("#c62828", Shape(map, "frontend").GetAttribute("stroke"));
        Assert.StartsWith("frontend-service 2 tasks 256 CPU, 512 MiB 1 in zone 1 1 in zone 2 failed", Node(map, "frontend").GetAttribute("aria-label"));
    }

    [Fact]
    public void EveryNodeIsAFocusableButtonNamedByItsVisibleTextThenItsStatus()
    {
        var map = _context.Render<ArchitectureMapView>(p => p.Add(x => x.TemplateJson, TemplateJson).Add(x => x.Deployment, CreateOf(AllResources())));

        var nodes = map.FindAll("[data-testid=map-node]");
        Assert.Equal(Map.Nodes.Count, nodes.Count);
        Assert.All(nodes, n =>
        {
            Assert.Equal("0", n.GetAttribute("tabindex"));
            Assert.Equal("button", n.GetAttribute("role"));
            // The words the box shows, in order (the text itself is hidden from assistive technology), start its name.
            var shown = string.Join(" ", n.QuerySelectorAll("text").Select(t => t.TextContent.Trim()).Where(t => t.Length > 0));
            Assert.StartsWith(System.Text.RegularExpressions.Regex.Replace(shown, @"\s+", " "), n.GetAttribute("aria-label"));
            Assert.All(n.QuerySelectorAll("text"), t => Assert.Equal("true", t.GetAttribute("aria-hidden")));
        });
        Assert.Equal("Public ALB HTTP :80 not started, 5 resources", Node(map, "public-alb").GetAttribute("aria-label"));
        Assert.Equal("IGW not started, Internet gateway, 2 resources", Node(map, "igw").GetAttribute("aria-label"));
        // The frontend's two tasks, one per zone.
        Assert.Equal(["1", "1"], Node(map, "frontend").QuerySelectorAll("[data-testid=map-tasks]").Select(t => t.GetAttribute("data-count")));
    }

    [Fact]
    public void AnUpdateColoursOnlyWhatItChangesAndARollbackShowsWhatWasUndone()
    {
        var frontend = Map.Node("frontend")!;
        var service = frontend.Resources[0];
        var task = frontend.Resources[1];
        var live = CreateOf([service, task]);
        Add(live, task, "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE");
        Add(live, service, "UPDATE_IN_PROGRESS", "UPDATE_FAILED");
        var map = _context.Render<ArchitectureMapView>(p => p.Add(x => x.TemplateJson, TemplateJson).Add(x => x.Deployment, live));

        Assert.Equal("Failed", Status(map, "frontend"));
        Assert.Equal("Unchanged", Status(map, "backend"));
        Assert.Equal("Unchanged", Status(map, "vpc"));

        // A change that reached only the task definition before the stack rolled back: undone, not done.
        var rolledBack = CreateOf([task]);
        Add(rolledBack, task, "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE");
        Add(rolledBack, Stack, "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE");
        map.Render(p => p.Add(x => x.Deployment, rolledBack));

        Assert.Equal("RolledBack", Status(map, "frontend"));
        Assert.Equal("#ef6c00", Shape(map, "frontend").GetAttribute("stroke"));
    }

    [Fact]
    public void OnceTheStackSettledANodeItTouchedIsCompleteEvenIfSomePlannedResourcesNeverGotAnEvent()
    {
        var subnet = Map.Node("public-subnet-1")!;
        var live = CreateOf(subnet.Resources);
        Add(live, subnet.Resources[0], "CREATE_IN_PROGRESS", "CREATE_COMPLETE");

        Assert.Equal(NodeStatus.InProgress, NodeStatuses.Of(subnet, live));
        Add(live, Stack, "CREATE_COMPLETE");
        Assert.Equal(NodeStatus.Complete, NodeStatuses.Of(subnet, live));
        Assert.Equal(NodeStatus.Outside, NodeStatuses.Of(Map.Node(ArchitectureMap.SecretsId)!, live));
    }

    [Fact]
    public async Task ChoosingANodeSelectsItAndChoosingItAgainClearsIt()
    {
        ArchitectureNode? selected = null;
        var changes = 0;
        var map = _context.Render<ArchitectureMapView>(p => p
            .Add(x => x.TemplateJson, TemplateJson)
            .Add(x => x.Deployment, CreateOf(AllResources()))
            .Add(x => x.SelectedChanged, (ArchitectureNode? node) => { selected = node; changes++; }));

        await Node(map, "internal-alb").ClickAsync(new());
        Assert.Equal("internal-alb", selected?.Id);
        Assert.Equal(Map.Node("internal-alb")!.Resources, selected!.Resources);

        map.Render(p => p.Add(x => x.Selected, selected));
        Assert.Equal("true", Node(map, "internal-alb").GetAttribute("aria-pressed"));
        Assert.Equal("internal-alb", map.Find("[data-testid=architecture-map]").GetAttribute("data-selected"));
        Node(map, "internal-alb").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Null(selected);
        Assert.Equal(2, changes);
    }

    [Fact]
    public void ARevisionWithoutAStoredTemplateSaysWhyThereIsNoMap()
    {
        var map = _context.Render<ArchitectureMapView>(p => p.Add(x => x.TemplateJson, null).Add(x => x.Deployment, CreateOf([])));

        Assert.Contains("planned before the portal kept templates", map.Find("[data-testid=architecture-map-missing]").TextContent);
        Assert.Empty(map.FindAll("[data-testid=map-node]"));
    }

    private static string[] AllResources() =>
        [.. JsonNode.Parse(TemplateJson)!["Resources"]!.AsObject().Select(r => r.Key)];

    private static string Resource(string nodeId) => Map.Node(nodeId)!.Resources[0];

    /// <summary>A deployment whose plan adds <paramref name="logicalIds"/>.</summary>
    private static LiveDeployment CreateOf(IEnumerable<string> logicalIds)
    {
        var types = JsonNode.Parse(TemplateJson)!["Resources"]!.AsObject().ToDictionary(r => r.Key, r => (string)r.Value!["Type"]!);
        return new LiveDeployment(Stack, new RevisionPlan
        {
            Operation = "CREATE",
            Changes = [.. logicalIds.Select(id => new PlannedChange("Add", id, types[id], null, []))],
        });
    }

    private void Add(LiveDeployment live, string logicalId, params string[] statuses) =>
        live.Add([.. statuses.Select(status => new StackEventView(
            ++_nextEventId, 1, $"event-{_nextEventId}", DateTimeOffset.UnixEpoch.AddSeconds(_nextEventId), logicalId, null,
            logicalId == Stack ? "AWS::CloudFormation::Stack" : "AWS::Test", status, null))]);

    private static AngleSharp.Dom.IElement Node(IRenderedComponent<ArchitectureMapView> map, string id) =>
        map.Find($"[data-testid=map-node][data-node='{id}']");

    private static string? Status(IRenderedComponent<ArchitectureMapView> map, string id) => Node(map, id).GetAttribute("data-status");

    private static AngleSharp.Dom.IElement Shape(IRenderedComponent<ArchitectureMapView> map, string id) =>
        Node(map, id).QuerySelector(".portal-map-shape")!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
