using Microsoft.Extensions.Configuration;
using Portal.Infra.Targets;

namespace Portal.Jobs.Workflow;

/// <summary>What the workflow needs to know about deploy targets. Kept tiny so it can sit on the Infra target options later.</summary>
public interface ITargetPolicy
{
    IReadOnlyCollection<string> TargetNames { get; }

    /// <summary>How many distinct approvals a revision for <paramref name="target"/> needs; null for an unknown target.</summary>
    int? RequiredApprovals(string target);

    /// <summary>The target's expiry rules (<c>Targets:&lt;name&gt;:Expiry</c>); null for an unknown target.</summary>
    TargetExpiry? Expiry(string target);
}

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
