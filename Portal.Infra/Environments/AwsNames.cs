using System.Text.RegularExpressions;

namespace Portal.Infra.Environments;

/// <summary>Shapes of AWS identifiers shared by the ECR URI and secret ARN parsers.</summary>
internal static partial class AwsNames
{
    public static readonly string[] Partitions = ["aws", "aws-cn", "aws-us-gov"];

    /// <summary>Region-shaped, e.g. us-east-1, ap-southeast-5, us-gov-west-1; not a lookup (new regions appear).</summary>
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")]
    public static partial Regex Region();

    [GeneratedRegex("^[0-9]{12}$")]
    public static partial Regex Account();

    /// <summary>ECR's repository name pattern (CreateRepository API), length checked separately.</summary>
    [GeneratedRegex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")]
    public static partial Regex RepositoryName();

    /// <summary>The partition a region belongs to (China and GovCloud are separate partitions).</summary>
    public static string PartitionOf(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary>A problem with an account id, or null.</summary>
    public static string? CheckAccount(string account) => Account().IsMatch(account)
        ? null
        : $"the account {SpecText.Quote(account)} is not an AWS account id; an account id is 12 digits";

    /// <summary>A problem with a region, or null.</summary>
    public static string? CheckRegion(string region) => Region().IsMatch(region)
        ? null
        : $"the region {SpecText.Quote(region)} is not a region name such as us-east-1";
}
