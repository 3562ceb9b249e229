using Microsoft.AspNetCore.Components;
using Portal.Infra.Costs;

namespace Portal.Web.Components.Costs;

/// <summary>An estimate line by line: quantity a month, unit price and amount, the total, and what it assumes.</summary>
public partial class CostEstimateView
{
    [Parameter, EditorRequired] public CostEstimate Estimate { get; set; } = default!;
}
