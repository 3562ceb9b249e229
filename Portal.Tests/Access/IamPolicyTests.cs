using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Infra.CloudFormation;
using Portal.Infra.CloudWatchLogs;
using Portal.Infra.Ecs;
using Portal.Infra.ElasticLoadBalancingV2;

namespace Portal.Tests.Access;

/// <summary>
/// The IAM policy docs/OPERATIONS.md "Run on AWS ECS" gives the portal's task role grants exactly the actions its clients
/// send: CloudFormation's (the <c>Action</c> of each <c>QueryForm</c> in Portal.Infra/CloudFormation) and diagnosis' (each
/// <c>QueryForm</c> or JSON call in Portal.Infra/Ecs, ElasticLoadBalancingV2 and CloudWatchLogs), so an operation added
/// without the policy, or left in the policy after the client stops calling it, fails here before it fails on AWS.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed partial class IamPolicyTests
{
    /// <summary>Checked by AWS on the caller's behalf when DetectStackDrift checks a whole stack; the client never sends it.</summary>
    private static readonly string[] CheckedOnTheClientsBehalf = ["DetectStackResourceDrift"];

    /// <summary>
    /// The statement drift detection needs: it reads every resource type of a stack with wildcards, and is checked by the
    /// test beside (reads only), not against a client.
    /// </summary>
    private const string DriftReads = "DriftDetectionReadsTheStacksResources";

    /// <summary>Each diagnosis client: its folder, its IAM prefix and its interface.</summary>
    public static TheoryData<string, string, Type> DiagnosisClients => new()
    {
        { "Ecs", "ecs", typeof(IEcs) },
        { "ElasticLoadBalancingV2", "elasticloadbalancing", typeof(IElasticLoadBalancingV2) },
        { "CloudWatchLogs", "logs", typeof(ICloudWatchLogs) },
    };

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
        Assert.Equal(Operations(typeof(ICloudFormation)), ClientActions().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DiagnosisClients))]
    public void TheDocumentedPolicyGrantsExactlyTheDiagnosisActionsEachClientCallsOutsideTheDriftReads(string folder, string prefix, Type client)
    {
        var granted = GrantedActions(except: DriftReads)
            .Where(a => a.StartsWith(prefix + ":", StringComparison.Ordinal))
            .Select(a => a[(prefix.Length + 1)..]);

        Assert.Equal(ClientActions(folder).Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
        Assert.Equal(Operations(client), ClientActions(folder).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> Operations(Type client) =>
        client.GetMethods().Select(m => m.Name.EndsWith("Async", StringComparison.Ordinal) ? m.Name[..^5] : m.Name).Order(StringComparer.Ordinal);

    [Fact]
    public void BesideCloudFormationThePolicyOnlyReadsTakesFromTheIntakeQueuePassesTheExecutionRoleAndAssumesTargetRoles()
    {
        var others = GrantedActions().Where(a => !a.StartsWith("cloudformation:", StringComparison.Ordinal) && !a.StartsWith("sqs:", StringComparison.Ordinal)).ToList();

        Assert.Contains("iam:PassRole", others);
        Assert.Contains("sts:AssumeRole", others);
        Assert.All(others.Except(["iam:PassRole", "sts:AssumeRole"]), action => Assert.Matches(@"^[a-z0-9]+:(Describe|Get|List)", action));
    }

    [Fact]
    public void TheDocumentedPolicyGrantsExactlyTheQueueActionsTheIntakeCalls()
    {
        // AWSSDK.SQS's calls in the intake, e.g. ReceiveMessageAsync; a batch is authorized as its single action.
        var source = File.ReadAllText(Path.Combine(Checkout.Root, "Portal.Jobs", "StackEvents", "StackEventIntake.cs"));
        var called = SqsCall().Matches(source).Select(m => "sqs:" + m.Groups[1].Value.Replace("Batch", "", StringComparison.Ordinal)).Distinct();

        Assert.Equal(called.Order(StringComparer.Ordinal), GrantedActions().Where(a => a.StartsWith("sqs:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The actions a client sends, read from its source: <c>new QueryForm("CreateChangeSet")</c> (Query protocol) or
    /// <c>SendAsync&lt;…&gt;("DescribeServices"</c> (JSON protocol).
    /// </summary>
    private static List<string> ClientActions(string folder = "CloudFormation")
    {
        var actions = Directory.EnumerateFiles(Path.Combine(Checkout.Root, "Portal.Infra", folder), "*.cs")
            .Select(File.ReadAllText)
            .SelectMany(source => QueryFormAction().Matches(source).Concat(JsonAction().Matches(source)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        Assert.NotEmpty(actions);
        return actions;
    }

    /// <summary>
    /// Every action of every Allow statement in the documented policy (the first JSON block of "Run on AWS ECS" in
    /// docs/OPERATIONS.md), but those of the statement named <paramref name="except"/>.
    /// </summary>
    private static List<string> GrantedActions(string? except = null)
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
            if (statement.TryGetProperty("Sid", out var sid) && sid.GetString() == except)
                continue;
            var action = statement.GetProperty("Action");
            actions.AddRange(action.ValueKind == JsonValueKind.Array ? action.EnumerateArray().Select(a => a.GetString()!) : [action.GetString()!]);
        }

        Assert.Equal(actions.Count, actions.Distinct().Count());
        return actions;
    }

    [GeneratedRegex("new QueryForm\\(\"([A-Za-z]+)\"\\)")]
    private static partial Regex QueryFormAction();

    [GeneratedRegex("SendAsync<[^>]+>\\(\\s*\"([A-Za-z]+)\"")]
    private static partial Regex JsonAction();

    [GeneratedRegex("sqs\\.([A-Za-z]+)Async\\(")]
    private static partial Regex SqsCall();

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex PolicyBlock();
}
