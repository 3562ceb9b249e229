using Microsoft.Extensions.Options;
using Portal.Infra.Targets;

namespace Portal.Infra.Costs;

/// <summary>
/// Checks the price table at start-up: its date, every configured target's region priced, and every price given and
/// not negative; each error names its configuration key.
/// </summary>
public sealed class PriceTableValidator(IOptions<TargetOptions> targets) : IValidateOptions<PriceTable>
{
    public ValidateOptionsResult Validate(string? name, PriceTable options)
    {
        var errors = Errors(options, targets.Value);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Errors(PriceTable table, TargetOptions targets)
    {
        const string section = PriceTable.Section;
        var errors = new List<string>();
        if (table.AsOf is null)
            errors.Add($"{section}:AsOf is required: the date the prices were taken from AWS's pricing pages (e.g. 2026-11-01).");
        if (string.IsNullOrWhiteSpace(table.Currency))
            errors.Add($"{section}:Currency is required (e.g. USD).");

        foreach (var (targetName, target) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!table.Regions.ContainsKey(target.SigningRegion))
                errors.Add($"{section}:Regions:{target.SigningRegion} is missing: target '{targetName}' deploys there, so its prices are needed for cost estimates.");
        }

        foreach (var (region, prices) in table.Regions.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var (key, price) in prices.All())
            {
                if (price is null)
                    errors.Add($"{section}:Regions:{region}:{key} is required.");
                else if (price < 0)
                    errors.Add($"{section}:Regions:{region}:{key} must not be negative (got {price}).");
            }
        }

        foreach (var (key, value) in table.Assumptions.All())
        {
            if (value < 0)
                errors.Add($"{section}:Assumptions:{key} must not be negative (got {value}).");
        }
        return errors;
    }
}
