namespace Portal.Infra.Guardrails;

/// <summary>
/// A guardrail's verdict on a synthesized template. Stored as JSON with the revision and shown to approvers.
/// </summary>
public sealed record GuardrailResult(string Name, bool Passed, IReadOnlyList<GuardrailFinding> Findings)
{
    public static GuardrailResult From(string name, IReadOnlyList<GuardrailFinding> findings) =>
        new(name, findings.Count == 0, findings);
}

/// <summary>
/// One reason a guardrail failed. <paramref name="Rule"/> is the template's logical id of the offending resource
/// (a rule, its security group, a service, a listener), or a resource type when a required resource is missing.
/// </summary>
public sealed record GuardrailFinding(string Rule, string Message);
