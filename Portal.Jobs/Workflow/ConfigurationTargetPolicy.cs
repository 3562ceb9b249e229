using Microsoft.Extensions.Configuration;
using Portal.Infra.Targets;

namespace Portal.Jobs.Workflow;

/// <summary>Reads <c>Targets:&lt;name&gt;:RequiredApprovals</c> (default 1) on every call, so configuration reloads apply.</summary>
public sealed class ConfigurationTargetPolicy(IConfiguration configuration) : ITargetPolicy
{
    private IConfigurationSection Targets => configuration.GetSection("Targets");

    public IReadOnlyCollection<string> TargetNames => [.. Targets.GetChildren().Select(t => t.Key)];

    public int? RequiredApprovals(string target)
    {
        var section = Targets.GetSection(target);
        if (string.IsNullOrEmpty(target) || !section.Exists())
        {
            return null;
        }

        var required = section.GetValue("RequiredApprovals", 1);
        // Zero would let changes deploy unreviewed; refuse the configuration rather than guess.
        return required >= 1
            ? required
            : throw new InvalidOperationException($"Targets:{target}:RequiredApprovals must be at least 1, not {required}.");
    }

    public TargetExpiry? Expiry(string target)
    {
        var section = Targets.GetSection(target);
        if (string.IsNullOrEmpty(target) || !section.Exists())
        {
            return null;
        }

        return section.GetSection("Expiry").Get<TargetExpiry>() ?? new TargetExpiry();
    }
}
