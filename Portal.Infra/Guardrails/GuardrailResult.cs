namespace Portal.Infra.Guardrails;

/// <summary>
/// A guardrail's verdict on a synthesized template. Stored as JSON with the revision and shown to approvers.
/// </summary>
public sealed record GuardrailResult(string Name, bool Passed, IReadOnlyList<GuardrailFinding> Findings)
{
    public static GuardrailResult From(string name, IReadOnlyList<GuardrailFinding> findings) =>
        new(name, findings.Count == 0, findings);

    /// <summary>Several guardrails' verdicts as one: passed when all passed, with all their findings.</summary>
    public static GuardrailResult Combine(params IReadOnlyList<GuardrailResult> results) =>
        new(string.Join(" and ", results.Select(r => r.Name)), results.All(r => r.Passed), [.. results.SelectMany(r => r.Findings)]);
}

/// <summary>
/// One reason a guardrail failed. <paramref name="Rule"/> is the template's logical id of the offending resource
/// (a rule, its security group, a service, a listener), or a resource type when a required resource is missing.
/// </summary>
public sealed record GuardrailFinding(string Rule, string Message);
