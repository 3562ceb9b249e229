namespace Portal.Infra.Synthesis;

/// <summary>A spec that cannot become a deployable template (e.g. beyond CloudFormation's inline size limit).</summary>
public sealed class SynthesisException(string message) : Exception(message);
