using Portal.Infra.Environments;
using Portal.Infra.Stacks;
using Portal.Infra.Synthesis;

namespace Portal.Infra.Guardrails;

/// <summary>
/// A synth request with every string of the spec and the requester replaced by an inert placeholder (the environment's
/// name is kept when it is inert already): ASCII letters,
/// digits and '_', plus the fixed punctuation a field's form needs ("/" before a path, "sha256:" before a digest, an
/// ARN's colons). No placeholder can be a CDK token or a CloudFormation dynamic reference, whatever the text was.
/// </summary>
/// <remarks>
/// The placeholders keep what the stack's construction (and CDK inside it) branches on, so that a literal spec and
/// its inert twin make templates of the same structure:
/// <list type="bullet">
/// <item>equal strings stay equal and different ones different, in any field (IAM statements and dictionary keys
/// depend on it), and a variable keeps its place among the others;</item>
/// <item>empty stays empty and absent stays absent (the JSON key, version stage or id, tag or digest);</item>
/// <item>a repository URI stays a URI in the same account, region and DNS suffix (the stack then names the
/// repository by ARN), a digest stays a digest (CDK writes "@sha256:"), and a secret ARN keeps its partition,
/// region and account and whether it is complete (the "-XXXXXX" suffix decides the IAM resource); those kept parts
/// come out of the parsers, which accept only digits and the shapes of partitions and regions.</item>
/// <item>the requester tag is there exactly when <see cref="IdentityTag.Value"/> leaves something of the name;</item>
/// <item>the environment's name, part of logical ids, is kept when it cannot hold either (see <see cref="StaysAsIs"/>).</item>
/// </list>
/// Numbers and booleans are not text and stay as they are.
/// </remarks>
internal sealed class InertText
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);

    private InertText()
    {
    }

    public static SynthRequest Of(SynthRequest request)
    {
        var inert = new InertText();
        var spec = request.Spec;
        // "with" keeps what is not text (ports, sizes, counts) as it is.
        return new SynthRequest(spec with
        {
            Name = StaysAsIs(spec.Name) ? spec.Name : inert.Text(spec.Name, n => $"inert{n}"),
            Target = inert.Text(spec.Target, n => $"inert{n}"),
            Frontend = (FrontendSpec)inert.Service(spec.Frontend),
            Backend = (BackendSpec)inert.Service(spec.Backend),
        }, IdentityTag.Value(request.RequestedBy) is null ? null : inert.Text(request.RequestedBy!, n => $"inert{n}"))
        {
            Deployable = false,
        };
    }

    /// <summary>
    /// The stack's name is part of construct paths, and so of logical ids (the security-group rules'); a name of
    /// lowercase letters, digits and hyphens (as the spec's rules demand) is kept: without '{', '[', '.' or '+' it can
    /// be neither a token nor a dynamic reference.
    /// </summary>
    private static bool StaysAsIs(string name) => name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private ServiceSpec Service(ServiceSpec service) => service with
    {
        Image = new ImageRef
        {
            Repository = service.Image.RepositoryUri is { } uri
                ? (uri with { RepositoryName = Text(uri.RepositoryName, n => $"inert{n}") }).ToString()
                : Text(service.Image.Repository, n => $"inert{n}"),
            Tag = Optional(service.Image.Tag, n => $"inert{n}"),
            Digest = Optional(service.Image.Digest, n => $"sha256:{n:x64}"),
        },
        HealthCheckPath = Text(service.HealthCheckPath, n => $"/inert{n}"),
        Environment = service.Environment.ToDictionary(v => Text(v.Key, n => $"INERT_{n}"), v => Text(v.Value, n => $"inert{n}")),
        Secrets = [.. service.Secrets.Select(Secret)],
    };

    private SecretRef Secret(SecretRef secret) => new()
    {
        Name = Text(secret.Name, n => $"INERT_{n}"),
        SecretArn = Text(secret.SecretArn, n => secret.Arn is { } arn
            ? (arn with { SecretName = arn.IsComplete ? $"inert{n}-Inert0" : $"inert{n}" }).ToString()
            : $"inert{n}"),
        JsonKey = Optional(secret.JsonKey, n => $"inert{n}"),
        VersionStage = Optional(secret.VersionStage, n => $"inert{n}"),
        VersionId = Optional(secret.VersionId, n => $"{n:x32}"),
    };

    private string? Optional(string? text, Func<int, string> placeholder) => text is null ? null : Text(text, placeholder);

    /// <summary>The placeholder of <paramref name="text"/>'s number: one number per distinct text, in order of first use.</summary>
    private string Text(string text, Func<int, string> placeholder)
    {
        if (text.Length == 0)
            return "";
        if (!_numbers.TryGetValue(text, out var number))
            _numbers[text] = number = _numbers.Count + 1;
        return placeholder(number);
    }
}
