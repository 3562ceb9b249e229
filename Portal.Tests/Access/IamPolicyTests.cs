using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Infra.CloudFormation;

namespace Portal.Tests.Access;

/// <summary>
/// The IAM policy docs/OPERATIONS.md "Run on AWS ECS" gives the portal's task role grants exactly the CloudFormation actions the
/// client sends (the <c>Action</c> of each <c>QueryForm</c> in Portal.Infra/CloudFormation), so an operation added
/// without the policy, or left in the policy after the client stops calling it, fails here before it fails on AWS.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed partial class IamPolicyTests
{
    /// <summary>Checked by AWS on the caller's behalf when DetectStackDrift checks a whole stack; the client never sends it.</summary>
    private static readonly string[] CheckedOnTheClientsBehalf = ["DetectStackResourceDrift"];

    [Fact]
    public void TheDocumentedPolicyGrantsExactlyTheCloudFormationActionsTheClientCalls()
    {
        var granted = GrantedActions()
            .Where(a => a.StartsWith("cloudformation:", StringComparison.Ordinal))
            .Select(a => a["cloudformation:".Length..]);

        Assert.Equal(ClientActions().Concat(CheckedOnTheClientsBehalf).Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheClientSendsOneActionForEachOperationOfItsInterface()
    {
        var operations = typeof(ICloudFormation).GetMethods().Select(m => m.Name.EndsWith("Async", StringComparison.Ordinal) ? m.Name[..^5] : m.Name);

        Assert.Equal(operations.Order(StringComparer.Ordinal), ClientActions().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BesideCloudFormationThePolicyOnlyReadsPassesTheExecutionRoleAndAssumesTargetRoles()
    {
        var others = GrantedActions().Where(a => !a.StartsWith("cloudformation:", StringComparison.Ordinal)).ToList();

        Assert.Contains("iam:PassRole", others);
        Assert.Contains("sts:AssumeRole", others);
        Assert.All(others.Except(["iam:PassRole", "sts:AssumeRole"]), action => Assert.Matches(@"^[a-z0-9]+:(Describe|Get|List)", action));
    }

    /// <summary>The actions the client sends, read from its source: <c>new QueryForm("CreateChangeSet")</c>.</summary>
    private static List<string> ClientActions()
    {
        var folder = Path.Combine(Checkout.Root, "Portal.Infra", "CloudFormation");
        var actions = Directory.EnumerateFiles(folder, "*.cs")
            .SelectMany(file => QueryFormAction().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        Assert.NotEmpty(actions);
        return actions;
    }

    /// <summary>Every action of every Allow statement in the documented policy (the first JSON block of "Run on AWS ECS" in docs/OPERATIONS.md).</summary>
    private static List<string> GrantedActions()
    {
        var operations = File.ReadAllText(Path.Combine(Checkout.Root, "docs", "OPERATIONS.md"));
        var section = operations[operations.IndexOf("## Run on AWS ECS", StringComparison.Ordinal)..];
        var json = PolicyBlock().Match(section);
        Assert.True(json.Success, "docs/OPERATIONS.md \"Run on AWS ECS\" has no ```json block");
        using var policy = JsonDocument.Parse(json.Groups[1].Value);
        var actions = new List<string>();
        foreach (var statement in policy.RootElement.GetProperty("Statement").EnumerateArray())
        {
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            var action = statement.GetProperty("Action");
            actions.AddRange(action.ValueKind == JsonValueKind.Array ? action.EnumerateArray().Select(a => a.GetString()!) : [action.GetString()!]);
        }

        Assert.Equal(actions.Count, actions.Distinct().Count());
        return actions;
    }

    [GeneratedRegex("new QueryForm\\(\"([A-Za-z]+)\"\\)")]
    private static partial Regex QueryFormAction();

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex PolicyBlock();
}
