namespace Portal.Web.Components.Deployments;

/// <summary>
/// The parts of the environment, in the order a request travels (network, public ALB, frontend, internal ALB,
/// backend), decided by the logical-id prefixes the stack (TwoTierEnvironment) gives its resources.
/// </summary>
public static class ResourceGroups
{
    public const string Network = "Network";
    public const string PublicAlb = "Public ALB";
    public const string Frontend = "Frontend";
    public const string InternalAlb = "Internal ALB";
    public const string Backend = "Backend";
    public const string Cluster = "Cluster";
    public const string Other = "Other";

    private static readonly string[] Order = [Network, PublicAlb, Frontend, InternalAlb, Backend, Cluster, Other];

    /// <summary>Where <paramref name="group"/> comes in display order.</summary>
    public static int Rank(string group) => Array.IndexOf(Order, group);

    // First match wins: each target group sits with the load balancer that forwards to it, as in docs/ARCHITECTURE.md.
    private static readonly (string Prefix, string Group)[] Prefixes =
    [
        ("FrontendTargetGroup", PublicAlb),
        ("BackendTargetGroup", InternalAlb),
        ("PublicAlb", PublicAlb),
        ("InternalAlb", InternalAlb),
        ("Frontend", Frontend),
        ("Backend", Backend),
        ("Vpc", Network),
        ("Cluster", Cluster),
    ];

    public static string Of(string logicalId) =>
        Prefixes.FirstOrDefault(p => logicalId.StartsWith(p.Prefix, StringComparison.Ordinal)).Group ?? Other;

    /// <summary>"FrontendServiceBC94BA93" → "FrontendService": the CDK's 8-digit hash suffix says nothing to a reader.</summary>
    public static string ShortName(string logicalId) =>
        logicalId.Length > 8 && logicalId[^8..].All(char.IsAsciiHexDigitUpper) && !logicalId[^9..^8].All(char.IsAsciiHexDigitUpper)
            ? logicalId[..^8]
            : logicalId;
}
