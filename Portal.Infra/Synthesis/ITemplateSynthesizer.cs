using System.Text.Json.Nodes;
using Portal.Infra.Environments;

namespace Portal.Infra.Synthesis;

/// <summary>What to synthesize: the spec and who asked for it (tagged on every resource).</summary>
public sealed record SynthRequest(EnvironmentSpec Spec, string? RequestedBy = null)
{
    /// <summary>
    /// Whether the template goes to CloudFormation and so must fit an inline TemplateBody. The literal-text
    /// guardrail's inert twin of a template is only compared, never deployed, and its placeholders may be longer.
    /// </summary>
    public bool Deployable { get; init; } = true;
}

/// <summary>A synthesized stack: minified template JSON and the resources it declares, counted by type.</summary>
public sealed record SynthResult(string StackName, string TemplateJson, IReadOnlyDictionary<string, int> ResourceCounts)
{
    public int TemplateBytes => System.Text.Encoding.UTF8.GetByteCount(TemplateJson);
    public int ResourceTotal => ResourceCounts.Values.Sum();

    /// <summary>Every resource's logical id and type, in template order.</summary>
    public IEnumerable<(string LogicalId, string Type)> Resources() =>
        JsonNode.Parse(TemplateJson)!["Resources"]!.AsObject().Select(r => (r.Key, (string)r.Value!["Type"]!));

    /// <summary>
    /// Every resource's logical id and the resources it waits for (DependsOn, Ref, Fn::GetAtt, Fn::Sub), as
    /// CloudFormation orders them: what the deploy ETA walks to find the critical path.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies() => TemplateDependencies.Of(TemplateJson);
}

public interface ITemplateSynthesizer
{
    /// <summary>
    /// Synthesizes each request, in order, in one turn of the process's jsii runtime: templates a caller needs together
    /// (a plan's and its inert twin) wait in the synthesis queue once, not once each behind everyone else's.
    /// </summary>
    Task<IReadOnlyList<SynthResult>> SynthesizeAsync(IReadOnlyList<SynthRequest> requests, CancellationToken cancellationToken = default);
}

public static class TemplateSynthesizerExtensions
{
    public static async Task<SynthResult> SynthesizeAsync(
        this ITemplateSynthesizer synthesizer, SynthRequest request, CancellationToken cancellationToken = default) =>
        (await synthesizer.SynthesizeAsync([request], cancellationToken))[0];
}
