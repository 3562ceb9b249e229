using Portal.Jobs.Deployments.Eta;

namespace Portal.Web.Api;

/// <summary>A deploying revision's ETA: whole seconds left, and what the durations came from.</summary>
/// <param name="RemainingSeconds">Predicted seconds until the deploy settles.</param>
/// <param name="Basis">History (every duration seen on this target before), Mixed, or Default (rough: no history).</param>
/// <param name="DefaultedTypes">The resource types this target has no history for yet.</param>
public sealed record EtaResource(int RemainingSeconds, EtaBasis Basis, IReadOnlyList<string> DefaultedTypes);
