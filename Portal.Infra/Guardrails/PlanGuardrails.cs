using Portal.Infra.Synthesis;

namespace Portal.Infra.Guardrails;

/// <summary>The guardrails every plan runs on its synthesized template before any change set, as one verdict.</summary>
public static class PlanGuardrails
{
    /// <param name="synth">What <paramref name="synthesizer"/> made of <paramref name="request"/>.</param>
    public static async Task<GuardrailResult> CheckAsync(
        ITemplateSynthesizer synthesizer, SynthRequest request, SynthResult synth, CancellationToken cancellationToken) =>
        GuardrailResult.Combine(
            SecurityChainCheck.Check(synth.TemplateJson),
            await LiteralTextCheck.CheckAsync(synthesizer, request, synth.TemplateJson, cancellationToken));
}
