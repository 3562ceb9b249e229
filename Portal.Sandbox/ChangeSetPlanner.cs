using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>One property-level reason for a Modify, as DescribeChangeSet reports it.</summary>
internal sealed record ResourceChangeDetail(
    string Attribute, string? Name, string RequiresRecreation, string Evaluation, string ChangeSource, string? CausingEntity);

/// <summary>A change set's planned action on one logical resource.</summary>
internal sealed record ResourceChange(
    string Action, string LogicalResourceId, string? PhysicalResourceId, string ResourceType,
    string? Replacement, IReadOnlyList<string> Scope, IReadOnlyList<ResourceChangeDetail> Details)
{
    /// <summary>Executing creates a new physical resource (Conditional ones are replaced: the cause is replaced).</summary>
    public bool Replaces => Replacement is "True" or "Conditional";
}

/// <summary>Diffs a stack's current template against a new one, per logical resource.</summary>
internal static class ChangeSetPlanner
{
    public static IReadOnlyList<ResourceChange> Plan(
        StackBlueprint? current, IReadOnlyDictionary<string, DeployedResource> deployed, StackBlueprint next)
    {
        var before = current?.ResourcesById ?? new Dictionary<string, TemplateResource>();
        var planned = new Dictionary<string, ResourceChange>(StringComparer.Ordinal);

        // Dependencies first, so a resource sees whether what it references is being replaced.
        foreach (var resource in DependencyOrder(next))
        {
            var physicalId = deployed.TryGetValue(resource.LogicalId, out var d) ? d.PhysicalId : null;
            if (!before.TryGetValue(resource.LogicalId, out var old))
                planned[resource.LogicalId] = new ResourceChange("Add", resource.LogicalId, null, resource.Type, null, [], []);
            else if (old.Type != resource.Type)
                planned[resource.LogicalId] = new ResourceChange("Modify", resource.LogicalId, physicalId, resource.Type, "True", ["Properties"], []);
            else if (Details(old, resource, planned) is { Count: > 0 } details)
                planned[resource.LogicalId] = new ResourceChange(
                    "Modify", resource.LogicalId, physicalId, resource.Type, Replacement(details),
                    details.Select(x => x.Attribute).Distinct().ToList(), details);
        }

        var changes = next.Resources.Where(r => planned.ContainsKey(r.LogicalId)).Select(r => planned[r.LogicalId]).ToList();
        foreach (var removed in before.Values.Where(r => !next.ResourcesById.ContainsKey(r.LogicalId)))
            changes.Add(new ResourceChange("Remove", removed.LogicalId,
                deployed.TryGetValue(removed.LogicalId, out var d) ? d.PhysicalId : null, removed.Type, null, [], []));
        return changes;
    }

    private static List<ResourceChangeDetail> Details(TemplateResource old, TemplateResource next, Dictionary<string, ResourceChange> planned)
    {
        var details = new List<ResourceChangeDetail>();
        foreach (var property in old.Properties.Select(p => p.Key).Union(next.Properties.Select(p => p.Key)))
        {
            if (JsonNode.DeepEquals(old.Properties[property], next.Properties[property]))
                continue;
            details.Add(property == "Tags"
                ? new ResourceChangeDetail("Tags", null, "Never", "Static", "DirectModification", null)
                : new ResourceChangeDetail("Properties", property, Recreation(next.Type, property), "Static", "DirectModification", null));
        }
        // A reference to a resource being replaced changes value when it is: CloudFormation cannot know
        // the new value in advance, so it reports a Dynamic change caused by that resource.
        foreach (var (property, value) in next.Properties)
        {
            foreach (var reference in TemplateReferences.Collect(value).Where(r => planned.TryGetValue(r.Target, out var c) && c.Replaces))
            {
                var source = reference.Attribute is null ? "ResourceReference" : "ResourceAttribute";
                var detail = new ResourceChangeDetail("Properties", property, Recreation(next.Type, property), "Dynamic", source, reference.Entity);
                if (!details.Contains(detail))
                    details.Add(detail);
            }
        }
        return details;
    }

    private static string Recreation(string type, string property) =>
        ResourceCatalog.RequiresReplacement(type, property) ? "Always" : "Never";

    private static string Replacement(List<ResourceChangeDetail> details) =>
        details.Any(d => d is { RequiresRecreation: "Always", Evaluation: "Static" }) ? "True"
        : details.Any(d => d.RequiresRecreation == "Always") ? "Conditional"
        : "False";

    /// <summary>Resources ordered so that each comes after everything it depends on.</summary>
    public static IReadOnlyList<TemplateResource> DependencyOrder(StackBlueprint blueprint)
    {
        var ordered = new List<TemplateResource>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Visit(TemplateResource resource)
        {
            if (!visited.Add(resource.LogicalId))
                return;
            foreach (var dependency in resource.Dependencies)
                Visit(blueprint.ResourcesById[dependency]);
            ordered.Add(resource);
        }
        foreach (var resource in blueprint.Resources)
            Visit(resource);
        return ordered;
    }
}
