using Portal.Infra.Costs;

namespace Portal.Web.Api;

/// <summary>A revision's monthly cost estimate as the API shows it, with what it changes against the deployed revision.</summary>
/// <param name="MonthlyTotal">The revision's estimate a month; 0 for a destroy (nothing runs afterwards).</param>
/// <param name="Currency">The price table's currency (USD).</param>
/// <param name="PricesAsOf">The date of the price table.</param>
/// <param name="Region">The target's region, whose prices apply.</param>
/// <param name="Lines">Each item: quantity a month, unit, unit price, amount (empty for a destroy).</param>
/// <param name="Assumptions">The usage assumed where the spec says nothing.</param>
/// <param name="Delta">Against the environment's deployed revision.</param>
public sealed record CostEstimateResource(
    decimal MonthlyTotal, string Currency, DateOnly PricesAsOf, string Region, IReadOnlyList<CostLine> Lines,
    IReadOnlyList<string> Assumptions, CostDeltaResource Delta);
