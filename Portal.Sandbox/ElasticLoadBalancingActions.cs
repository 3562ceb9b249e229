using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace Portal.Sandbox;

/// <summary>
/// The Elastic Load Balancing (v2) actions the sandbox answers, Query protocol, version 2015-12-01: the targets the
/// services' tasks register in their target groups, and their health by the sandbox's clock. Called under the simulator's lock.
/// </summary>
internal static class ElasticLoadBalancingActions
{
    public const string Version = "2015-12-01";
    public static readonly XNamespace Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    private const int MaxTargets = 100, MaxArn = 2048;

    public static readonly IReadOnlyDictionary<string, Func<CloudFormationSimulator, QueryRequest, XElement>> Handlers =
        new Dictionary<string, Func<CloudFormationSimulator, QueryRequest, XElement>>(StringComparer.Ordinal)
        {
            ["DescribeTargetHealth"] = DescribeTargetHealth,
        };

    private static XElement DescribeTargetHealth(CloudFormationSimulator simulator, QueryRequest request)
    {
        var arn = request.Required("TargetGroupArn", "targetGroupArn");
        if (arn.Length > MaxArn)
            throw CloudFormationError.Validation($"1 validation error detected: Value at 'targetGroupArn' failed to satisfy constraint: Member must have length less than or equal to {MaxArn}");
        var asked = request.Structures("Targets");
        if (asked.Count > MaxTargets)
            throw CloudFormationError.Validation($"1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to {MaxTargets}");
        if (!simulator.ResourceExists("AWS::ElasticLoadBalancingV2::TargetGroup", arn))
            throw new CloudFormationError(HttpStatusCode.BadRequest, "TargetGroupNotFound", $"Target groups '[{arn}]' not found");

        var now = simulator.Time.GetUtcNow();
        var registered = simulator.Services().Select(x => x.Service)
            .Where(s => s.TargetGroupArn == arn && !(s.DeletedAt <= now))
            .SelectMany(s => s.Tasks.Where(t => t.StartedAt <= now && !(t.StoppedAt <= now)).Select(t => (Task: t, Port: s.LoadBalancedPort)))
            .ToList();
        var descriptions = new List<XElement>();
        if (asked.Count == 0)
            descriptions.AddRange(registered.Select(r => Description(r.Task.PrivateIp, r.Port, r.Task.AvailabilityZone, Health(r.Task, now))));
        else
            foreach (var target in asked)
            {
                var id = target.GetValueOrDefault("Id") ?? throw CloudFormationError.MissingParameter("targets.member.id");
                int? port = int.TryParse(target.GetValueOrDefault("Port"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
                var found = registered.FirstOrDefault(r => r.Task.PrivateIp == id && (port is null || port == r.Port));
                descriptions.Add(found.Task is null
                    ? Description(id, port, null, ("unused", "Target.NotRegistered", "Target is not registered to the target group"))
                    : Description(id, found.Port, found.Task.AvailabilityZone, Health(found.Task, now)));
            }
        return E("DescribeTargetHealthResult", E("TargetHealthDescriptions", descriptions));
    }

    /// <summary>The target's health as Elastic Load Balancing reports it at <paramref name="now"/>.</summary>
    private static (string State, string? Reason, string? Description) Health(SimulatedTask task, DateTimeOffset now) =>
        task.StoppingAt <= now ? ("draining", "Target.DeregistrationInProgress", "Target deregistration is in progress")
        : task.UnhealthyAt <= now ? ("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]")
        : task.HealthyAt <= now ? ("healthy", null, null)
        : ("initial", "Elb.RegistrationInProgress", "Target registration is in progress");

    private static XElement Description(string id, int? port, string? zone, (string State, string? Reason, string? Description) health) =>
        E("member",
            E("Target", E("Id", id), port is null ? null : E("Port", port), zone is null ? null : E("AvailabilityZone", zone)),
            port is null ? null : E("HealthCheckPort", port),
            E("TargetHealth", E("State", health.State), health.Reason is null ? null : E("Reason", health.Reason),
                health.Description is null ? null : E("Description", health.Description)));

    private static XElement E(string name, params object?[] content) => new(Namespace + name, content);
}
