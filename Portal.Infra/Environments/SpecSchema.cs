namespace Portal.Infra.Environments;

/// <summary>What a JSON value must be; <c>Expected</c> completes "expected …" in messages.</summary>
internal abstract record Shape(string Expected);

internal sealed record TextShape(string Expected) : Shape(Expected);

internal sealed record WholeNumberShape(string Expected) : Shape(Expected);

internal sealed record ObjectShape(string Expected, IReadOnlyList<Field> Fields) : Shape(Expected);

internal sealed record ListShape(string Expected, Shape Item) : Shape(Expected);

/// <summary>An object used as a dictionary: any keys, values of one shape.</summary>
internal sealed record MapShape(string Expected, string KeyKind, Shape Value) : Shape(Expected);

internal sealed record Field(string Name, Shape Shape, bool Required, bool Nullable = false);

/// <summary>The JSON form of <see cref="EnvironmentSpec"/>, field by field, as docs/SPEC.md shows it.</summary>
internal static class SpecSchema
{
    private static readonly Shape Port = new WholeNumberShape($"a whole number from {SpecLimits.MinPort} to {SpecLimits.MaxPort}");

    private static readonly ObjectShape Image = new("an object with a repository and a tag or digest",
    [
        new("repository", new TextShape("an ECR repository name such as \"frontend\", or a repository URI"), Required: true),
        new("tag", new TextShape("an image tag such as \"1.4.2\", or null"), Required: false, Nullable: true),
        new("digest", new TextShape("an image digest \"sha256:<64 hex digits>\", or null"), Required: false, Nullable: true),
    ]);

    private static readonly ObjectShape Secret = new("an object with a name and a secretArn",
    [
        new("name", new TextShape("an environment variable name such as \"API_KEY\""), Required: true),
        new("secretArn", new TextShape("a Secrets Manager secret ARN"), Required: true),
        new("jsonKey", new TextShape("the name of a key in the secret's JSON, or null"), Required: false, Nullable: true),
        new("versionStage", new TextShape("a version stage such as \"AWSCURRENT\", or null"), Required: false, Nullable: true),
        new("versionId", new TextShape("a version id, or null"), Required: false, Nullable: true),
    ]);

    private static IReadOnlyList<Field> ServiceFields(params Field[] extra) =>
    [
        new("image", Image, Required: true),
        new("containerPort", Port, Required: true),
        new("cpu", new WholeNumberShape($"a Fargate CPU value: {SpecText.List(FargateSizes.CpuValues.Select(c => c.ToString()), "or")}"), Required: true),
        new("memoryMiB", new WholeNumberShape("a memory size in MiB that Fargate offers for the cpu, such as 512"), Required: true),
        new("desiredCount", new WholeNumberShape($"a whole number from 0 to {SpecLimits.MaxDesiredCount}"), Required: true),
        new("healthCheckPath", new TextShape("a URL path such as \"/health\""), Required: true),
        new("environment", new MapShape("an object of NAME: \"value\" pairs", "variable",
            new TextShape("a string (numbers and booleans go in quotes, e.g. \"3000\")")), Required: false),
        new("secrets", new ListShape("a list of secrets", Secret), Required: false),
        .. extra,
    ];

    public static readonly ObjectShape Spec = new("a JSON object describing an environment",
    [
        new("name", new TextShape("a name such as \"orders-dev\""), Required: true),
        new("target", new TextShape("a deploy target name such as \"sandbox\""), Required: true),
        new("frontend", new ObjectShape("an object describing the frontend service", ServiceFields()), Required: true),
        new("backend", new ObjectShape("an object describing the backend service", ServiceFields(new Field("listenerPort", Port, Required: true))),
            Required: true),
    ]);
}
