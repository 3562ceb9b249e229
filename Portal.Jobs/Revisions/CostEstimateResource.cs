using Portal.Infra.Costs;

namespace Portal.Jobs.Revisions;

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
    IReadOnlyList<string> Assumptions, CostDeltaResource Delta)
{
    /// <summary>Null when neither side has an estimate (the target is no longer configured).</summary>
    public static CostEstimateResource? From(CostComparison comparison, int? deployedRevisionNumber)
    {
        if ((comparison.After ?? comparison.Before) is not { } basis) return null;
        return new CostEstimateResource(
            comparison.After?.MonthlyTotal ?? 0m, basis.Currency, basis.PricesAsOf, basis.Region, comparison.After?.Lines ?? [],
            basis.Assumptions, new CostDeltaResource(deployedRevisionNumber, comparison.MonthlyDifference, comparison.Lines));
    }
}

/// <summary>What the revision changes in the monthly cost.</summary>
/// <param name="ComparedWithRevision">The deployed revision compared with; absent before the first deploy (a create compares with nothing).</param>
/// <param name="MonthlyDifference">Revision minus deployed; negative is a saving (a destroy saves the whole deployed estimate).</param>
/// <param name="Lines">Per item: before, after and difference.</param>
public sealed record CostDeltaResource(int? ComparedWithRevision, decimal MonthlyDifference, IReadOnlyList<CostLineChange> Lines);
