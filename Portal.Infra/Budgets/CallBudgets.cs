using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Infra.Targets;

namespace Portal.Infra.Budgets;

/// <summary>
/// Every target's <see cref="TargetCallBudget"/>, made on first use from its <see cref="Target.CallRate"/>; none for a
/// target without one. The CloudFormation clients wait at it before every attempt of every call.
/// </summary>
public sealed class CallBudgets(IOptions<TargetOptions> targets, ICallBudgetStore store, TimeProvider time, ILogger<CallBudgets>? logger = null)
{
    private readonly Dictionary<string, TargetCallBudget?> _budgets = new(StringComparer.OrdinalIgnoreCase);

    public TargetCallBudget? For(string targetName)
    {
        lock (_budgets)
        {
            if (!_budgets.TryGetValue(targetName, out var budget))
            {
                budget = targets.Value.Get(targetName).CallRate is { } rate
                    ? new TargetCallBudget(targetName, rate, store, time, (ILogger?)logger ?? NullLogger.Instance)
                    : null;
                _budgets[targetName] = budget;
            }
            return budget;
        }
    }
}
