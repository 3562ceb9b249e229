using Portal.Infra.Synthesis;

namespace Portal.Infra.Guardrails;

/// <summary>The guardrails every plan runs on its synthesized template before any change set, as one verdict.</summary>
public static class PlanGuardrails
{
    /// <summary>
    /// Synthesizes <paramref name="request"/> and its inert twin in one turn of the jsii runtime, so a plan queues for
    /// synthesis once, and checks the template.
    /// </summary>
    public static async Task<(SynthResult Synth, GuardrailResult Guardrail)> SynthesizeAndCheckAsync(
        ITemplateSynthesizer synthesizer, SynthRequest request, CancellationToken cancellationToken)
    {
        var synths = await synthesizer.SynthesizeAsync([request, InertText.Of(request)], cancellationToken);
        return (synths[0], Check(synths[0].TemplateJson, synths[1].TemplateJson));
    }

    /// <param name="synth">What <paramref name="synthesizer"/> made of <paramref name="request"/>.</param>
    public static async Task<GuardrailResult> CheckAsync(
        ITemplateSynthesizer synthesizer, SynthRequest request, SynthResult synth, CancellationToken cancellationToken) =>
        Check(synth.TemplateJson, (await synthesizer.SynthesizeAsync(InertText.Of(request), cancellationToken)).TemplateJson);

    private static GuardrailResult Check(string templateJson, string inertTemplateJson) =>
        GuardrailResult.Combine(SecurityChainCheck.Check(templateJson), LiteralTextCheck.Check(templateJson, inertTemplateJson));
}
