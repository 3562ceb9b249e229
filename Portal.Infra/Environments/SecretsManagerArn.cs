using System.Buffers;
using System.Text.RegularExpressions;

namespace Portal.Infra.Environments;

/// <summary>
/// A Secrets Manager secret ARN, <c>arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf</c>,
/// taken apart field by field (not pattern-matched as a whole) so that each mistake gets its own explanation.
/// </summary>
public sealed partial record SecretsManagerArn(string Partition, string Region, string Account, string SecretName)
{
    public override string ToString() => $"arn:{Partition}:secretsmanager:{Region}:{Account}:secret:{SecretName}";

    /// <summary>
    /// Whether the name ends in the "-XXXXXX" suffix Secrets Manager appends, i.e. this is the complete ARN.
    /// Secrets Manager itself reads a name ending in a hyphen and six characters as complete.
    /// </summary>
    public bool IsComplete => RandomSuffix().IsMatch(SecretName);

    /// <summary>
    /// The IAM resource that grants this secret and only this secret: the ARN itself when complete; for a partial
    /// ARN (name without suffix) the ARN plus "-??????", which matches exactly the six-character suffix.
    /// </summary>
    public string IamResource => IsComplete ? ToString() : $"{this}-??????";

    /// <summary>The parsed ARN, or null when <paramref name="value"/> is not a valid secret ARN.</summary>
    public static SecretsManagerArn? TryParse(string? value) => value is null ? null : Read(value).Arn;

    internal static (SecretsManagerArn? Arn, string? Problem) Read(string value)
    {
        const string shape = "arn:<partition>:secretsmanager:<region>:<account>:secret:<name>";
        if (!value.StartsWith("arn:", StringComparison.Ordinal))
        {
            return (null, $"{SpecText.Quote(value)} is not an ARN; give the secret's ARN ({shape}), not its name");
        }
        var parts = value.Split(':');
        var problem = Check();
        return problem is null ? (new SecretsManagerArn(parts[1], parts[3], parts[4], parts[6]), null) : (null, problem);

        string? Check()
        {
            if (parts.Length < 3)
            {
                return $"it is incomplete; a secret ARN has the form {shape}";
            }
            if (!AwsNames.Partitions.Contains(parts[1]))
            {
                return $"the partition {SpecText.Quote(parts[1])} is not supported; use {SpecText.List(AwsNames.Partitions, "or")}";
            }
            if (parts[2] != "secretsmanager")
            {
                return $"this is an ARN of {SpecText.Quote(parts[2])}, not Secrets Manager; give a Secrets Manager secret ARN ({shape})";
            }
            if (parts.Length < 7)
            {
                return $"it is incomplete; a secret ARN has the form {shape}";
            }
            var (partition, region, account, resourceType, name) = (parts[1], parts[3], parts[4], parts[5], parts[6]);
            if (AwsNames.CheckRegion(region) is { } badRegion)
            {
                return badRegion;
            }
            if (AwsNames.PartitionOf(region) != partition)
            {
                return $"the region {region} belongs to the {AwsNames.PartitionOf(region)} partition, not {partition}";
            }
            if (AwsNames.CheckAccount(account) is { } badAccount)
            {
                return badAccount;
            }
            if (resourceType != "secret")
            {
                return $"the resource type is {SpecText.Quote(resourceType)}; a Secrets Manager ARN names a secret (…:secret:<name>)";
            }
            if (CheckName(name) is { } badName)
            {
                return badName;
            }
            return parts.Length > 7
                ? $"it has extra parts after the secret name ({SpecText.Quote(":" + string.Join(':', parts[7..]))}); " +
                  "give the JSON key, version stage or version id in jsonKey, versionStage or versionId instead"
                : null;
        }
    }

    private static string? CheckName(string name)
    {
        if (name.Length == 0)
        {
            return "it names no secret; the secret's name follows \":secret:\"";
        }
        if (name.Length > SpecLimits.MaxSecretNameLength)
        {
            return $"the secret name is {name.Length:N0} characters; Secrets Manager names are at most 512 plus the 7-character suffix";
        }
        var bad = name.AsSpan().IndexOfAnyExcept(NameCharacters);
        return bad < 0
            ? null
            : $"the secret name contains {SpecText.DescribeChar(name[bad])}; names use letters, digits and / _ + = . @ -";
    }

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+=.@-");

    [GeneratedRegex("-[A-Za-z0-9]{6}$")]
    private static partial Regex RandomSuffix();
}
