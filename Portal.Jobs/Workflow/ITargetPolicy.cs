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
