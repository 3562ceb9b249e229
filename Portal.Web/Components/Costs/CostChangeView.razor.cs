using Microsoft.AspNetCore.Components;
using Portal.Infra.Costs;

namespace Portal.Web.Components.Costs;

/// <summary>
/// What a revision does to the monthly cost: each line deployed now and after it, the difference per line and in
/// total. A create compares with nothing; a destroy's "after" is nothing, so the difference is the saving.
/// </summary>
public partial class CostChangeView
{
    [Parameter, EditorRequired] public CostComparison Comparison { get; set; } = default!;

    /// <summary>The estimate whose prices and assumptions are stated: the revision's, or for a destroy what is deployed.</summary>
    private CostEstimate? Shown => Comparison.After ?? Comparison.Before;

    private string Currency => Shown?.Currency ?? "USD";

    private string Headline => (Comparison.Before, Comparison.After) switch
    {
        (null, { } after) => $"Adds {Money.Format(after.MonthlyTotal, Currency)} a month: nothing is deployed yet.",
        ({ } before, null) => $"Destroying saves {Money.Format(before.MonthlyTotal, Currency)} a month.",
        ({ }, { } after) when Comparison.MonthlyDifference == 0 =>
            $"{Money.Format(after.MonthlyTotal, Currency)} a month, the same as deployed.",
        ({ } before, { } after) =>
            $"{Money.Format(after.MonthlyTotal, Currency)} a month: {Money.Signed(Comparison.MonthlyDifference, Currency)} " +
            $"against what is deployed ({Money.Format(before.MonthlyTotal, Currency)}).",
        _ => "",
    };

    /// <summary>A side with no estimate (nothing deployed, or destroyed) shows a dash rather than $0.00.</summary>
    private string Amount(CostEstimate? side, decimal amount) => side is null ? "—" : Money.Format(amount, Currency);
}
