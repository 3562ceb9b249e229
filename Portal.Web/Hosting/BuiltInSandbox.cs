using Portal.Infra.Targets;
using Portal.Sandbox;
using Portal.Web.Identity;

namespace Portal.Web.Hosting;

/// <summary>
/// The sandbox CloudFormation endpoint this host serves itself: for every Sandbox target without a ServiceUrl of its own
/// (the development settings have one, <c>sandbox</c>).
/// </summary>
public static class BuiltInSandbox
{
    /// <summary>Allows Sandbox targets on an address beyond loopback (see <see cref="LoopbackGuard"/>).</summary>
    public const string ForceKey = "Sandbox:Force";

    /// <summary>A Sandbox target without a ServiceUrl of its own is served by this host.</summary>
    public static bool IsNeeded(IConfiguration configuration) =>
        Sandboxes(configuration).Any(t => string.IsNullOrEmpty(t["ServiceUrl"]));

    /// <summary>The Sandbox targets, a development tool, unless <see cref="ForceKey"/> allows them anywhere.</summary>
    public static IEnumerable<LoopbackOnlyTool> LoopbackOnlyTargets(IConfiguration configuration)
    {
        var names = Sandboxes(configuration).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0 || configuration.GetValue<bool>(ForceKey)) yield break;
        const string what = "(simulated deployments, and a CloudFormation endpoint that takes any signature)";
        yield return names is [var name]
            ? new LoopbackOnlyTool($"Sandbox target {name} is configured {what}", $"remove it (Targets:{name}) or make it an Aws target", ForceKey)
            : new LoopbackOnlyTool($"Sandbox targets {string.Join(", ", names)} are configured {what}",
                "remove them (Targets:<name>) or make them Aws targets", ForceKey);
    }

    /// <summary>
    /// Gives each Sandbox target this host serves, unless it sets its own, the default call budget in the sandbox's time:
    /// the sandbox runs every duration, its read budget included, <see cref="SandboxOptions.TimeScale"/> times as fast, so
    /// the portal's share of that budget is the same share as on AWS. At TimeScale 0 nothing waits, and neither does the portal.
    /// </summary>
    public static void Pace(TargetOptions targets, SandboxOptions sandbox)
    {
        foreach (var target in targets.Values.Where(t => t.Kind == TargetKind.Sandbox && string.IsNullOrEmpty(t.ServiceUrl) && t.CallsPerSecond is null))
        {
            if (sandbox.TimeScale > 0)
                target.CallsPerSecond = Math.Min(Target.DefaultCallsPerSecond / sandbox.TimeScale, TargetOptionsValidator.MaxCallsPerSecond);
        }
    }

    /// <summary>The endpoint's address on loopback, from the first address this host listens on.</summary>
    public static Uri ServiceUrl(string listenAddress, string pattern)
    {
        var loopback = listenAddress.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1")
            .Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://localhost", "://127.0.0.1");
        return new Uri(loopback.TrimEnd('/') + pattern);
    }

    private static IEnumerable<IConfigurationSection> Sandboxes(IConfiguration configuration) =>
        configuration.GetSection(TargetOptions.Section).GetChildren()
            .Where(t => string.Equals(t["Kind"], nameof(TargetKind.Sandbox), StringComparison.OrdinalIgnoreCase));
}
