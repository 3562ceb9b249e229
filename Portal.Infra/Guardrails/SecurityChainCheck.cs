using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Infra.Guardrails;

/// <summary>
/// Guardrail on a synthesized CloudFormation template: builds who-can-reach-whom between the internet, the public
/// ALB, the frontend tasks, the internal ALB and the backend tasks from the security-group rules, and fails on any
/// rule or path the architecture's security model does not call for, or on a missing link of the request path.
/// Reads only the template (what CloudFormation will deploy), never the CDK objects that produced it.
/// </summary>
public static class SecurityChainCheck
{
    public const string Name = "SecurityChainCheck";

    /// <exception cref="ArgumentException">The text is not a JSON template with a Resources object.</exception>
    public static GuardrailResult Check(string templateJson)
    {
        JsonNode? template;
        try
        {
            template = JsonNode.Parse(templateJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The template is not valid JSON: {e.Message}", nameof(templateJson), e);
        }
        return Check(template);
    }

    /// <exception cref="ArgumentException">The node is not a template with a Resources object.</exception>
    public static GuardrailResult Check(JsonNode? template)
    {
        var cfn = CfnTemplate.Parse(template);
        var findings = new List<GuardrailFinding>();
        // Without the chain's groups and ports there is nothing to compare the rules to: fail on what was found.
        if (ChainTopology.Read(cfn, findings) is not { } chain) return GuardrailResult.From(Name, findings);

        var rules = SecurityGroupRule.ReadAll(cfn);
        var policy = new ChainPolicy(chain);
        var graph = new ReachabilityGraph(chain, rules, VpcAddresses.Read(cfn));
        findings.AddRange(policy.UnexpectedRules(rules));
        findings.AddRange(policy.MissingLinks(graph));
        findings.AddRange(policy.ExtraEdges(graph));
        return GuardrailResult.From(Name, findings);
    }
}
