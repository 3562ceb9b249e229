using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Portal.Infra.Architecture;
using Portal.Web.Components.Deployments;
using Kind = Portal.Infra.Architecture.ArchitectureNodeKind;
using Model = Portal.Infra.Architecture.ArchitectureMap;

namespace Portal.Web.Components.Architecture;

/// <summary>
/// The live architecture map: an inline SVG of the environment as its revision's template declares it (see
/// <see cref="Model"/>), each node coloured by the latest status of its resources in <see cref="Deployment"/>, so it
/// changes colour as stack events arrive and shows past deploys from their stored template and events. Each node is
/// a focusable button; choosing one selects it (the deployment view then filters its event table to the node's
/// resources), choosing it again clears the selection.
/// </summary>
public sealed partial class ArchitectureMap
{
    private string? _parsedJson;
    private Model? _map;
    private IReadOnlyList<PlacedNode> _placed = [];
    private string? _problem;

    /// <summary>The revision's stored CloudFormation template (JSON); null when it has none (planned before templates were kept).</summary>
    [Parameter] public string? TemplateJson { get; set; }

    /// <summary>The deployment whose stack events colour the nodes; the map re-reads it whenever its parent renders.</summary>
    [Parameter, EditorRequired] public LiveDeployment Deployment { get; set; } = default!;

    /// <summary>The node whose events the reader asked for, or null.</summary>
    [Parameter] public ArchitectureNode? Selected { get; set; }

    /// <summary>Raised with the chosen node, or null when the selected node is chosen again.</summary>
    [Parameter] public EventCallback<ArchitectureNode?> SelectedChanged { get; set; }

    /// <summary>
    /// Whether each service kind (<see cref="ArchitectureNodeKind.FrontendService"/>, <see cref="ArchitectureNodeKind.BackendService"/>)
    /// is healthy, from the environment's health reading; its node then reads healthy or unhealthy once deployed. Null: not read.
    /// </summary>
    [Parameter] public IReadOnlyDictionary<ArchitectureNodeKind, bool>? Health { get; set; }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(TemplateJson, _parsedJson)) return;
        _parsedJson = TemplateJson;
        _problem = null;
        try
        {
            _map = TemplateJson is null ? null : Model.FromTemplate(TemplateJson);
        }
        catch (ArgumentException e)
        {
            _map = null;
            _problem = e.Message;
        }
        _placed = _map is null ? [] : ArchitectureLayout.Place(_map);
    }

    private NodeStatus StatusOf(ArchitectureNode node) => NodeStatuses.Of(node, Deployment, Health);

    private bool IsSelected(ArchitectureNode node) => Selected?.Id == node.Id;

    private Task ChooseAsync(ArchitectureNode node) => SelectedChanged.InvokeAsync(IsSelected(node) ? null : node);

    private Task KeyAsync(KeyboardEventArgs e, ArchitectureNode node) =>
        e.Key is "Enter" or " " ? ChooseAsync(node) : Task.CompletedTask;

    /// <summary>
    /// The node's name: the words its box shows, in the order shown (so a speech user can say what they see), then its
    /// status when the box does not show it, its full label when the box abbreviates it, and its resources. The box's
    /// own text is hidden from assistive technology: the name says it, once.
    /// </summary>
    private string AriaLabel(PlacedNode placed, NodeStatus status)
    {
        var node = placed.Node;
        var shown = Shown(placed, status);
        var name = string.Join(" ", shown);
        if (!shown.Contains(status.Describe()))
            name += $", {status.Describe()}";
        if (Caption(node) != node.Label)
            name += $", {node.Label}";
        return name + (node.Resources.Count > 0 ? $", {node.Resources.Count} resources" : "") + (IsSelected(node) ? ", showing its events" : "");
    }

    /// <summary>The words the box of <paramref name="placed"/> shows, as the markup draws them.</summary>
    private static List<string> Shown(PlacedNode placed, NodeStatus status)
    {
        var node = placed.Node;
        if (placed.IsContainer)
            return node.Kind == Kind.Vpc ? [node.Label, .. node.Details, "·", status.Describe()] : [node.Label, "·", status.Describe()];
        if (placed.Box.Height < 50)
            return [Caption(node), "·", status.Describe()];
        List<string> words = [Caption(node), .. node.Details.Take(5), .. TasksByZone(node).Select(t => $"{t.Count} in zone {t.Zone + 1}")];
        if (status != NodeStatus.Outside)
            words.Add(status.Describe());
        return words;
    }

    /// <summary>Fill, stroke and text colours per tone: the event table's (app.css portal-tone-*).</summary>
    private static (string Fill, string Stroke, string Text) Colours(StatusTone tone) => tone switch
    {
        StatusTone.Done => ("#e6f4ea", "#2e7d32", "#0d5226"),
        StatusTone.Working => ("#e3f0fc", "#1565c0", "#0b4f8a"),
        StatusTone.Failed => ("#fdecea", "#c62828", "#8a1c13"),
        StatusTone.RollingBack => ("#fff0e0", "#ef6c00", "#8a4500"),
        _ => ("#f5f5f5", "#9e9e9e", "#424242"),
    };

    /// <summary>Containers are outlined, not filled, so what they hold stays readable.</summary>
    private static string ContainerFill(ArchitectureNode node, string fill) =>
        node.Kind == Kind.Vpc ? "none" : fill == "#f5f5f5" ? "#fafafa" : fill;

    private IEnumerable<(ArchitectureEdge Edge, string Path)> Edges()
    {
        var boxes = _placed.ToDictionary(p => p.Node.Id, p => p);
        foreach (var edge in _map?.Edges ?? [])
        {
            if (!boxes.TryGetValue(edge.From, out var from) || !boxes.TryGetValue(edge.To, out var to)) continue;
            var route = (from.Node.Kind, to.Node.Kind) switch
            {
                (_, Kind.ContainerRegistry or Kind.SecretsManager) => EdgeRoute.Bus,
                (Kind.NatGateway, Kind.InternetGateway) => EdgeRoute.IntoTop,
                _ => EdgeRoute.Across,
            };
            yield return (edge, ArchitectureLayout.Path(from.Box, to.Box, route));
        }
    }

    /// <summary>The tasks of a service drawn in each zone's row.</summary>
    private static IEnumerable<(int Zone, int Count)> TasksByZone(ArchitectureNode node) =>
        (node.TasksPerZone ?? []).Select((count, zone) => (zone, count)).Where(t => t.count > 0);

    /// <summary>What the box says: short where the box is small; the full label is in its title and aria-label.</summary>
    private static string Caption(ArchitectureNode node) => node.Kind == Kind.InternetGateway ? "IGW" : node.Label;
}
