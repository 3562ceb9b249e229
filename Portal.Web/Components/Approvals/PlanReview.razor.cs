using Microsoft.AspNetCore.Components;
using Portal.Infra.Deployments;
using Portal.Jobs.Deployments;
using Portal.Jobs.Revisions;
using Portal.Web.Components.Deployments;

namespace Portal.Web.Components.Approvals;

/// <summary>
/// What approving a revision would do, from its plan: the change set's changes by the environment's parts (Add, Modify,
/// Remove; a replacement in red with the properties that force it), the security-chain guardrail's verdict with its
/// findings, and the plan's notes.
/// </summary>
public partial class PlanReview
{
    /// <summary>The revision under review; before its plan job ran there is nothing to show but that.</summary>
    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;

    private RevisionPlan? Plan { get; set; }

    protected override void OnParametersSet() => Plan = RevisionPlan.FromJson(Revision.PlanJson);

    private string Summary(RevisionPlan plan)
    {
        if (plan.NoChanges) return plan.Operation == "DELETE" ? "There is no stack to delete." : "The change set is empty: deploying it changes nothing.";
        var counts = string.Join(", ", plan.Changes.GroupBy(c => c.Action).OrderBy(g => ActionRank(g.Key)).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));
        var replaced = plan.Changes.Count(IsReplacement);
        var what = plan.Operation switch
        {
            "CREATE" => "Creates the stack",
            "UPDATE" => "Updates the stack",
            "DELETE" => "Deletes the stack",
            _ => "No change set",
        };
        return $"{what}: {plan.Changes.Count} resource change{(plan.Changes.Count == 1 ? "" : "s")} ({counts})" +
               (replaced == 0 ? "." : $", {replaced} of them replacing the resource.");
    }

    private static IEnumerable<IGrouping<string, PlannedChange>> Grouped(RevisionPlan plan) => plan.Changes
        .OrderBy(c => ActionRank(c.Action)).ThenBy(c => c.LogicalResourceId, StringComparer.Ordinal)
        .GroupBy(c => ResourceGroups.Of(c.LogicalResourceId))
        .OrderBy(g => ResourceGroups.Rank(g.Key));

    private static int ActionRank(string action) => action switch { "Add" => 0, "Modify" => 1, "Remove" => 2, _ => 3 };

    /// <summary>CloudFormation replaces the resource (True), or may, depending on values known only at deploy time (Conditional).</summary>
    private static bool IsReplacement(PlannedChange change) => change.Replacement is "True" or "Conditional";

    private static string ActionClass(string action) => "portal-tone portal-tone-" + action switch
    {
        "Add" => "done",
        "Modify" => "working",
        "Remove" => "failed",
        _ => "neutral",
    };

    private static string ReplacementText(PlannedChange change) =>
        (change.Replacement == "True" ? "Replaced" : "May be replaced") +
        (change.ReplacementCauses.Count == 0 ? "" : $": {string.Join(", ", change.ReplacementCauses)} changes");
}
