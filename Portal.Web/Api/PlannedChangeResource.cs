namespace Portal.Web.Api;

/// <summary>One resource the change set touches.</summary>
/// <param name="Action">Add, Modify or Remove (CloudFormation's words).</param>
/// <param name="LogicalId">The resource's logical id in the template.</param>
/// <param name="Type">The resource type, e.g. AWS::ECS::TaskDefinition.</param>
/// <param name="Replacement">For a Modify: True (the resource is replaced), Conditional, or False.</param>
/// <param name="ReplacementCauses">The properties whose change forces the replacement.</param>
public sealed record PlannedChangeResource(string Action, string LogicalId, string Type, string? Replacement, IReadOnlyList<string> ReplacementCauses);
