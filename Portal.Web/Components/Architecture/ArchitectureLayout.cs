using System.Globalization;
using Portal.Infra.Architecture;
using Kind = Portal.Infra.Architecture.ArchitectureNodeKind;
using Model = Portal.Infra.Architecture.ArchitectureMap;

namespace Portal.Web.Components.Architecture;

/// <summary>A rectangle of the drawing, in SVG user units.</summary>
public sealed record Box(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;
}

/// <summary>How an edge is drawn; see <see cref="ArchitectureLayout.Path"/>.</summary>
public enum EdgeRoute { Across, Bus, IntoTop }

/// <summary>A node placed on the drawing; containers (VPC, subnets) are drawn first, behind what they hold.</summary>
public sealed record PlacedNode(ArchitectureNode Node, Box Box, bool IsContainer);

/// <summary>
/// Where each node goes, as docs/ARCHITECTURE.md describes it: the internet on the left, the VPC in the middle with one row per
/// availability zone (public subnets, then private subnets holding the tasks), the load balancers and services
/// spanning the rows in request order, and ECR, Secrets Manager and the cluster in a column on the right.
/// </summary>
public static class ArchitectureLayout
{
    public const double Width = 1000;
    public const double Height = 440;

    private const double RowsTop = 70, RowsBottom = 410, RowGap = 10;
    private const double VpcX = 150, VpcRight = 795;
    private const double PublicX = 195, PublicWidth = 190;
    private const double PrivateX = 400, PrivateWidth = 385;
    private const double SideX = 815, SideWidth = 175;

    /// <summary>Room at a subnet's left for its label, written upwards, clear of the boxes spanning the zones.</summary>
    public const double Gutter = 20;

    /// <summary>The y a bus of lines to the right-hand column runs along, above the zone rows.</summary>
    public const double BusY = 48;

    public static IReadOnlyList<PlacedNode> Place(Model map)
    {
        var placed = new List<PlacedNode>();
        var rowHeight = (RowsBottom - RowsTop) / map.Zones;
        Box Row(int? zone, double x, double width) =>
            new(x, RowsTop + (zone ?? 0) * rowHeight, width, rowHeight - RowGap);
        var spanning = new Box(0, RowsTop + 52, 0, RowsBottom - RowsTop - 52 - 52 - RowGap);
        var sideY = 20.0;
        Box Side(double height)
        {
            var box = new Box(SideX, sideY, SideWidth, height);
            sideY += height + 16;
            return box;
        }

        foreach (var node in map.Nodes)
        {
            var (box, container) = node.Kind switch
            {
                Kind.Internet => (new Box(10, (RowsTop + RowsBottom) / 2 - 35, 100, 70), false),
                Kind.InternetGateway => (new Box(VpcX - 32, (RowsTop + RowsBottom) / 2 - 25, 64, 50), false),
                Kind.Vpc => (new Box(VpcX, 20, VpcRight - VpcX, RowsBottom - 20 + 8), true),
                Kind.PublicSubnet => (Row(node.Zone, PublicX, PublicWidth), true),
                Kind.PrivateSubnet => (Row(node.Zone, PrivateX, PrivateWidth), true),
                // At the top of its zone's public subnet, or the bottom beyond the first zone, clear of the ALB between.
                Kind.NatGateway when Row(node.Zone, PublicX, PublicWidth) is var row => (
                    new Box(PublicX + Gutter, node.Zone is null or 0 ? row.Y + 6 : row.Bottom - 42, PublicWidth - Gutter - 8, 36), false),
                Kind.PublicLoadBalancer => (spanning with { X = PublicX + Gutter + 8, Width = PublicWidth - Gutter - 24 }, false),
                Kind.FrontendService => (new Box(PrivateX + Gutter, RowsTop + 12, 118, RowsBottom - RowsTop - 24 - RowGap), false),
                Kind.InternalLoadBalancer => (spanning with { X = PrivateX + Gutter + 132, Width = 92 }, false),
                Kind.BackendService => (new Box(PrivateX + Gutter + 238, RowsTop + 12, 118, RowsBottom - RowsTop - 24 - RowGap), false),
                Kind.ContainerRegistry or Kind.SecretsManager => (Side(38 + 14 * Math.Min(node.Details.Count, 5)), false),
                _ => (Side(64), false),
            };
            placed.Add(new PlacedNode(node, box, container));
        }
        // Containers first so what they hold is drawn (and clicked) on top.
        return [.. placed.OrderBy(p => p.Node.Kind switch { Kind.Vpc => 0, Kind.PublicSubnet or Kind.PrivateSubnet => 1, _ => 2 })];
    }

    /// <summary>
    /// The SVG path of an edge. <see cref="EdgeRoute.Bus"/>: up to the bus above the rows and along it to the right-hand
    /// column. <see cref="EdgeRoute.IntoTop"/>: across, then down into the target's top (the NAT gateway's way out to the
    /// internet gateway below it, clear of the lines on the gateway's side). Otherwise out of the side facing the
    /// target, across half-way, and in at the target's facing side.
    /// </summary>
    public static string Path(Box from, Box to, EdgeRoute route)
    {
        if (route == EdgeRoute.Bus)
            return Svg($"M {from.CenterX} {from.Y} V {BusY} H {SideX - 12} V {to.CenterY} H {to.X}");
        var rightwards = from.CenterX < to.CenterX;
        var startX = rightwards ? from.Right : from.X;
        if (route == EdgeRoute.IntoTop)
            return Svg($"M {startX} {from.CenterY} H {to.CenterX + to.Width / 4} V {to.Y}");
        var endX = rightwards ? to.X : to.Right;
        // Leave at a height both share when there is one, so most lines are straight.
        var shared = Math.Max(from.Y, to.Y) < Math.Min(from.Bottom, to.Bottom);
        var startY = shared ? (Math.Max(from.Y, to.Y) + Math.Min(from.Bottom, to.Bottom)) / 2 : from.CenterY;
        var endY = shared ? startY : to.CenterY;
        var middle = (startX + endX) / 2;
        return Svg($"M {startX} {startY} H {middle} V {endY} H {endX}");
    }

    /// <summary>The middle of a zone's row, where a service draws its tasks in that zone.</summary>
    public static double ZoneCenterY(int zone, int zones) => RowsTop + (zone + 0.5) * ((RowsBottom - RowsTop) / zones) - RowGap / 2;

    private static string Svg(FormattableString path) => path.ToString(CultureInfo.InvariantCulture);

    /// <summary>Coordinates as SVG wants them whatever the server's culture.</summary>
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
