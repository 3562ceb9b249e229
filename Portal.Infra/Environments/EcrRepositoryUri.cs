namespace Portal.Infra.Environments;

/// <summary>
/// A repository given as a full ECR URI, <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/backend</c>,
/// taken apart so the stack can reference the repository in its own account and region.
/// </summary>
public sealed record EcrRepositoryUri(string Account, string Region, string RepositoryName, string DnsSuffix)
{
    public string RegistryHost => $"{Account}.dkr.ecr.{Region}.{DnsSuffix}";

    public override string ToString() => $"{RegistryHost}/{RepositoryName}";

    /// <summary>The parsed URI, or null when <paramref name="value"/> is not a valid ECR repository URI.</summary>
    public static EcrRepositoryUri? TryParse(string? value) => value is null ? null : Read(value).Uri;

    /// <summary>
    /// Whether <paramref name="repository"/> names a registry rather than a bare repository. Docker's rule: the
    /// first path component is a registry host when it contains '.' or ':' (or is localhost). ECR repository names
    /// may contain dots too, but the same string would mean a different registry to Docker, so such a repository
    /// must be given by its full URI.
    /// </summary>
    internal static bool NamesRegistry(string repository)
    {
        var slash = repository.IndexOf('/');
        if (slash < 0)
        {
            return repository.Contains(".dkr.ecr.", StringComparison.Ordinal); // a registry without a repository
        }
        var first = repository[..slash];
        return first.Contains('.') || first.Contains(':') || first == "localhost";
    }

    internal static (EcrRepositoryUri? Uri, string? Problem) Read(string value)
    {
        if (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
            value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "leave out the scheme (https://): write <account>.dkr.ecr.<region>.amazonaws.com/<repository>");
        }
        var slash = value.IndexOf('/');
        var host = slash < 0 ? value : value[..slash];
        var parts = host.Split('.');
        var isEcrHost = parts is [_, "dkr", "ecr", _, "amazonaws", "com"] or [_, "dkr", "ecr", _, "amazonaws", "com", "cn"];
        if (!isEcrHost)
        {
            return (null, $"{SpecText.Quote(host)} is not an ECR registry; only ECR is supported: give a repository " +
                          "name such as \"frontend\" or a URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>");
        }
        var (account, region) = (parts[0], parts[3]);
        var dnsSuffix = parts.Length == 7 ? "amazonaws.com.cn" : "amazonaws.com";
        var problem = AwsNames.CheckAccount(account) ?? AwsNames.CheckRegion(region);
        if (problem is null && (AwsNames.PartitionOf(region) == "aws-cn") != (dnsSuffix == "amazonaws.com.cn"))
        {
            problem = $"registries in {region} are under {(dnsSuffix == "amazonaws.com" ? "amazonaws.com.cn" : "amazonaws.com")}, not {dnsSuffix}";
        }
        if (problem is null && slash < 0)
        {
            problem = "it names a registry but no repository; add /<repository name>";
        }
        var name = slash < 0 ? "" : value[(slash + 1)..];
        problem ??= CheckName(name);
        return problem is null ? (new EcrRepositoryUri(account, region, name, dnsSuffix), null) : (null, problem);
    }

    /// <summary>A problem with a bare ECR repository name, or null.</summary>
    internal static string? CheckName(string name)
    {
        if (name.Contains('@'))
        {
            return "it contains '@': put the digest in the image's digest field, not in the repository";
        }
        if (name.Split('/')[^1].Contains(':'))
        {
            return "it contains ':': put the tag in the image's tag field, not in the repository";
        }
        if (name.Length is < SpecLimits.MinRepositoryNameLength or > SpecLimits.MaxRepositoryNameLength)
        {
            return $"a repository name is {SpecLimits.MinRepositoryNameLength} to {SpecLimits.MaxRepositoryNameLength} characters, " +
                   $"this one is {name.Length:N0}";
        }
        return AwsNames.RepositoryName().IsMatch(name)
            ? null
            : "a repository name uses lowercase letters, digits and single '.', '_', '-' between them, " +
              "with '/' between path parts (e.g. \"team/frontend\")";
    }
}
