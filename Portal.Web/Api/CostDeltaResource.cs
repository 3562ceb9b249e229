using Portal.Infra.Costs;

namespace Portal.Web.Api;

/// <summary>What the revision changes in the monthly cost.</summary>
/// <param name="ComparedWithRevision">The deployed revision compared with; absent before the first deploy (a create compares with nothing).</param>
/// <param name="MonthlyDifference">Revision minus deployed; negative is a saving (a destroy saves the whole deployed estimate).</param>
/// <param name="Lines">Per item: before, after and difference.</param>
public sealed record CostDeltaResource(int? ComparedWithRevision, decimal MonthlyDifference, IReadOnlyList<CostLineChange> Lines);
