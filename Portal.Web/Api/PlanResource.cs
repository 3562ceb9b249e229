using Portal.Infra.Guardrails;

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
    IReadOnlyList<string> Notes, IReadOnlyDictionary<string, int> ResourceCounts);
