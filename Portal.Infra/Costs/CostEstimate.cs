namespace Portal.Infra.Costs;

/// <summary>One thing the environment pays for in a month: how much of it, at what price.</summary>
/// <param name="Key">Stable id of the line (e.g. <c>frontend.vcpu</c>), to compare estimates line by line.</param>
/// <param name="Item">What it is, for people (e.g. "Frontend Fargate vCPU").</param>
/// <param name="Quantity">How much a month, in <paramref name="Unit"/>.</param>
/// <param name="Unit">e.g. vCPU-hours, GB processed.</param>
/// <param name="UnitPrice">The price table's price per unit.</param>
/// <param name="Amount">Quantity × unit price, rounded to the cent.</param>
public sealed record CostLine(string Key, string Item, decimal Quantity, string Unit, decimal UnitPrice, decimal Amount);

/// <summary>The monthly cost of one spec on its target, from the price table of <see cref="PricesAsOf"/>.</summary>
/// <param name="Region">The target's region, whose prices apply.</param>
/// <param name="Assumptions">The usage assumed where the spec says nothing, in words.</param>
public sealed record CostEstimate(
    string Region, string Currency, DateOnly PricesAsOf, IReadOnlyList<CostLine> Lines, IReadOnlyList<string> Assumptions)
{
    /// <summary>The sum of the lines' (rounded) amounts, so the lines shown add up to it.</summary>
    public decimal MonthlyTotal => Lines.Sum(l => l.Amount);
}

/// <summary>One line before and after a change; a line absent on one side counts as zero there.</summary>
public sealed record CostLineChange(string Key, string Item, decimal Before, decimal After)
{
    public decimal Difference => After - Before;
}

/// <summary>
/// What a revision changes in the monthly cost: <see cref="After"/> (null for a destroy: nothing runs) against
/// <see cref="Before"/> (null before the first deploy: nothing ran).
/// </summary>
public sealed record CostComparison(CostEstimate? Before, CostEstimate? After, IReadOnlyList<CostLineChange> Lines)
{
    /// <summary>After minus before; negative is a saving.</summary>
    public decimal MonthlyDifference => (After?.MonthlyTotal ?? 0m) - (Before?.MonthlyTotal ?? 0m);

    public static CostComparison Between(CostEstimate? before, CostEstimate? after)
    {
        var beforeLines = before?.Lines ?? [];
        var afterLines = after?.Lines ?? [];
        var keys = afterLines.Select(l => l.Key).Concat(beforeLines.Select(l => l.Key)).Distinct(StringComparer.Ordinal);
        var changes = keys.Select(key =>
        {
            var was = beforeLines.FirstOrDefault(l => l.Key == key);
            var now = afterLines.FirstOrDefault(l => l.Key == key);
            return new CostLineChange(key, (now ?? was)!.Item, was?.Amount ?? 0m, now?.Amount ?? 0m);
        });
        return new CostComparison(before, after, [.. changes]);
    }
}
