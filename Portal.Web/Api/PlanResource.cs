using System.Text.Json.Serialization.Metadata;
using Portal.Infra.Guardrails;
using Portal.Jobs.Deployments;
using Portal.Jobs.Revisions;

namespace Portal.Web.Api;

/// <summary>A revision's plan as the API shows it: what its change set does, and the guardrail's verdict.</summary>
/// <param name="Operation">CREATE, UPDATE, DELETE (a destroy), or NONE when the guardrail stopped the plan before a change set.</param>
/// <param name="NoChanges">The change set is empty: deploying it changes nothing.</param>
/// <param name="Changes">One per resource the change set adds, modifies or removes.</param>
/// <param name="Guardrail">The guardrails' verdict on the synthesized template: security chain and literal text (absent for a destroy).</param>
/// <param name="Notes">What the plan had to do on the way (e.g. delete a stack a failed create left behind).</param>
/// <param name="ResourceCounts">The template's resources by type.</param>
public sealed record PlanResource(
    string Operation, bool NoChanges, IReadOnlyList<PlannedChangeResource> Changes, GuardrailResult? Guardrail,
    IReadOnlyList<string> Notes, IReadOnlyDictionary<string, int> ResourceCounts)
{
    public static PlanResource From(RevisionPlan plan) => new(
        plan.Operation, plan.NoChanges,
        [.. plan.Changes.Select(c => new PlannedChangeResource(c.Action, c.LogicalResourceId, c.ResourceType, c.Replacement, c.ReplacementCauses))],
        plan.Guardrail, plan.Notes, plan.ResourceCounts);

    /// <summary>
    /// Revisions (<see cref="RevisionView"/>) in API answers carry <c>plan</c> as this object instead of the stored
    /// <c>planJson</c> text, wherever they appear (a revision, an environment's revisions, a decision's answer).
    /// </summary>
    internal static void ShowPlanAsObject(JsonTypeInfo type)
    {
        if (type.Type != typeof(RevisionView)) return;
        var planJson = type.Properties.Single(p => p.Name == "planJson");
        var plan = type.CreateJsonPropertyInfo(typeof(PlanResource), "plan");
        plan.Get = revision => RevisionPlan.FromJson(((RevisionView)revision).PlanJson) is { } stored ? From(stored) : null;
        plan.ShouldSerialize = (_, value) => value is not null;
        type.Properties[type.Properties.IndexOf(planJson)] = plan;
    }
}

/// <summary>One resource the change set touches.</summary>
/// <param name="Action">Add, Modify or Remove (CloudFormation's words).</param>
/// <param name="LogicalId">The resource's logical id in the template.</param>
/// <param name="Type">The resource type, e.g. AWS::ECS::TaskDefinition.</param>
/// <param name="Replacement">For a Modify: True (the resource is replaced), Conditional, or False.</param>
/// <param name="ReplacementCauses">The properties whose change forces the replacement.</param>
public sealed record PlannedChangeResource(string Action, string LogicalId, string Type, string? Replacement, IReadOnlyList<string> ReplacementCauses);
