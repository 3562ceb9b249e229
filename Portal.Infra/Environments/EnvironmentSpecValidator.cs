namespace Portal.Infra.Environments;

/// <summary>A problem with one field of a spec, e.g. <c>backend.listenerPort</c>.</summary>
public sealed record SpecError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

public static class EnvironmentSpecValidator
{
    // Placeholder until the validation work lands; see issue 2.
    public static IReadOnlyList<SpecError> Validate(EnvironmentSpec spec) => [];
}
