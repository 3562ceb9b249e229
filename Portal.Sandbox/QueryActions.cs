using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Portal.Sandbox.QueryXml;

namespace Portal.Sandbox;

/// <summary>The CloudFormation actions the sandbox answers: request parameters in, result element out.</summary>
internal static partial class QueryActions
{
    public const string Version = "2010-05-15";

    private static readonly HashSet<string> KnownCapabilities = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"];

    // CloudFormation's documented limits: the API reference's length constraints and the quotas on parameters and tags.
    private const int MaxDescription = 1024, MaxToken = 128, MaxRoleArn = 2048, MaxParameters = 200, MaxParameterValueBytes = 4096,
        MaxTags = 50, MaxTagKey = 128, MaxTagValue = 256;

    /// <summary>Action name → handler; a null result means the action's reply has no Result element.</summary>
    public static readonly IReadOnlyDictionary<string, Func<CloudFormationSimulator, QueryRequest, XElement?>> Handlers =
        new Dictionary<string, Func<CloudFormationSimulator, QueryRequest, XElement?>>(StringComparer.Ordinal)
        {
            ["CreateChangeSet"] = CreateChangeSet,
            ["DescribeChangeSet"] = DescribeChangeSet,
            ["ExecuteChangeSet"] = (cfn, r) =>
            {
                cfn.ExecuteChangeSet(r.Required("ChangeSetName", "changeSetName"), r.Optional("StackName"), ClientRequestToken(r));
                return E("ExecuteChangeSetResult");
            },
            ["DeleteChangeSet"] = (cfn, r) =>
            {
                cfn.DeleteChangeSet(r.Required("ChangeSetName", "changeSetName"), r.Optional("StackName"));
                return E("DeleteChangeSetResult");
            },
            ["DescribeStacks"] = (cfn, r) =>
                E("DescribeStacksResult", Members("Stacks", cfn.DescribeStacks(r.Optional("StackName")), Stack)),
            ["DescribeStackEvents"] = (cfn, r) =>
            {
                var page = cfn.DescribeStackEvents(r.Required("StackName", "stackName"), r.Optional("NextToken"));
                return E("DescribeStackEventsResult", Members("StackEvents", page.Events, StackEvent), Optional("NextToken", page.NextToken));
            },
            ["DeleteStack"] = (cfn, r) =>
            {
                cfn.DeleteStack(r.Required("StackName", "stackName"), ClientRequestToken(r));
                return null;
            },
            ["CancelUpdateStack"] = (cfn, r) =>
            {
                cfn.CancelUpdateStack(r.Required("StackName", "stackName"));
                return null;
            },
            ["DetectStackDrift"] = DetectStackDrift,
            ["DescribeStackDriftDetectionStatus"] = DescribeStackDriftDetectionStatus,
            ["DescribeStackResourceDrifts"] = DescribeStackResourceDrifts,
        };

    private static XElement CreateChangeSet(CloudFormationSimulator cfn, QueryRequest r)
    {
        if (r.Optional("TemplateURL") is not null)
            throw CloudFormationError.Validation("TemplateURL is not supported by the sandbox; send the template as TemplateBody.");
        var capabilities = r.List("Capabilities");
        foreach (var capability in capabilities.Where(c => !KnownCapabilities.Contains(c)))
            throw CloudFormationError.Validation($"1 validation error detected: Value '[{capability}]' at 'capabilities' failed to satisfy constraint: Member must satisfy enum value set: [CAPABILITY_AUTO_EXPAND, CAPABILITY_NAMED_IAM, CAPABILITY_IAM]");
        var roleArn = r.Optional("RoleARN");
        var description = r.Optional("Description");
        var clientToken = r.Optional("ClientToken");
        var parameters = r.Structures("Parameters");
        var tags = r.Structures("Tags");
        var constraints = new Constraints()
            .MaxLength("description", description, MaxDescription)
            .MaxLength("clientToken", clientToken, MaxToken)
            .MaxLength("roleARN", roleArn, MaxRoleArn)
            .MaxCount("parameters", parameters.Count, MaxParameters)
            .MaxCount("tags", tags.Count, MaxTags);
        foreach (var (member, index) in parameters.Select((m, i) => (m, i + 1)))
            constraints.MaxBytes($"parameters.{index}.member.parameterValue", member.GetValueOrDefault("ParameterValue"), MaxParameterValueBytes);
        foreach (var (member, index) in tags.Select((m, i) => (m, i + 1)))
            constraints.MaxLength($"tags.{index}.member.key", member.GetValueOrDefault("Key"), MaxTagKey)
                .MaxLength($"tags.{index}.member.value", member.GetValueOrDefault("Value"), MaxTagValue);
        constraints.ThrowIfAny();
        if (roleArn is not null && !RoleArnPattern().IsMatch(roleArn))
            throw CloudFormationError.Validation($"RoleARN '{roleArn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).");

        var (id, stackId) = cfn.CreateChangeSet(new CreateChangeSetInput(
            r.Required("StackName", "stackName"),
            QueryRequest.CheckName(r.Required("ChangeSetName", "changeSetName"), "changeSetName"),
            r.Optional("ChangeSetType") ?? "UPDATE",
            r.Optional("TemplateBody"),
            r.Flag("UsePreviousTemplate"),
            Parameters(parameters),
            capabilities.Distinct().ToList(),
            roleArn,
            Tags(tags),
            clientToken,
            description));
        return E("CreateChangeSetResult", E("Id", id), E("StackId", stackId));
    }

    private static string? ClientRequestToken(QueryRequest r)
    {
        var token = r.Optional("ClientRequestToken");
        new Constraints().MaxLength("clientRequestToken", token, MaxToken).ThrowIfAny();
        return token;
    }

    private static Dictionary<string, string> Parameters(IReadOnlyList<IReadOnlyDictionary<string, string>> members)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (member, index) in members.Select((m, i) => (m, i + 1)))
        {
            var key = member.GetValueOrDefault("ParameterKey") ?? throw CloudFormationError.Validation($"Parameters.member.{index}.ParameterKey is required.");
            if (member.GetValueOrDefault("UsePreviousValue") == "true")
                throw CloudFormationError.Validation($"Parameters.member.{index}.UsePreviousValue is not supported by the sandbox; send ParameterValue.");
            parameters[key] = member.GetValueOrDefault("ParameterValue") ?? "";
        }
        return parameters;
    }

    private static List<StackTag> Tags(IReadOnlyList<IReadOnlyDictionary<string, string>> members) =>
        members.Select((member, i) => new StackTag(
            member.GetValueOrDefault("Key") is { Length: > 0 } key ? key : throw CloudFormationError.Validation($"Tags.member.{i + 1}.Key is required."),
            member.GetValueOrDefault("Value") ?? "")).ToList();

    private static XElement DescribeChangeSet(CloudFormationSimulator cfn, QueryRequest r)
    {
        var view = cfn.DescribeChangeSet(r.Required("ChangeSetName", "changeSetName"), r.Optional("StackName"), r.Optional("NextToken"));
        var changeSet = view.ChangeSet;
        var configuration = changeSet.Configuration;
        return E("DescribeChangeSetResult",
            E("ChangeSetName", changeSet.Name),
            E("ChangeSetId", changeSet.Id),
            E("StackId", changeSet.Stack.Id),
            E("StackName", changeSet.Stack.Name),
            Optional("Description", changeSet.Description),
            Members("Parameters", changeSet.Blueprint.ParameterValues, Parameter),
            E("CreationTime", Timestamp(changeSet.CreationTime)),
            E("ExecutionStatus", view.ExecutionStatus),
            E("Status", view.Status),
            Optional("StatusReason", view.StatusReason),
            E("NotificationARNs"),
            E("RollbackConfiguration"),
            Members("Capabilities", configuration.Capabilities, c => c),
            Members("Tags", configuration.Tags, Tag),
            Members("Changes", view.Changes, Change),
            Optional("NextToken", view.NextToken),
            E("IncludeNestedStacks", "false"));
    }

    private static object[] Change(ResourceChange change) =>
    [
        E("Type", "Resource"),
        E("ResourceChange",
            E("Action", change.Action),
            E("LogicalResourceId", change.LogicalResourceId),
            Optional("PhysicalResourceId", change.PhysicalResourceId),
            E("ResourceType", change.ResourceType),
            Optional("Replacement", change.Replacement),
            Members("Scope", change.Scope, s => s),
            Members("Details", change.Details, d => new object?[]
            {
                E("Target", E("Attribute", d.Attribute), Optional("Name", d.Name), E("RequiresRecreation", d.RequiresRecreation)),
                E("Evaluation", d.Evaluation),
                E("ChangeSource", d.ChangeSource),
                Optional("CausingEntity", d.CausingEntity),
            })),
    ];

    private static object?[] Stack(StackView stack) =>
    [
        E("StackId", stack.Id),
        E("StackName", stack.Name),
        Optional("ChangeSetId", stack.ChangeSetId),
        Optional("Description", stack.Configuration.Blueprint?.Template.Description),
        Members("Parameters", stack.Configuration.Blueprint?.ParameterValues ?? new Dictionary<string, string>(), Parameter),
        E("CreationTime", Timestamp(stack.CreationTime)),
        Optional("LastUpdatedTime", stack.LastUpdatedTime is { } updated ? Timestamp(updated) : null),
        Optional("DeletionTime", stack.DeletionTime is { } deleted ? Timestamp(deleted) : null),
        E("RollbackConfiguration"),
        E("StackStatus", stack.Status),
        Optional("StackStatusReason", stack.StatusReason),
        E("DisableRollback", "false"),
        E("NotificationARNs"),
        Members("Capabilities", stack.Configuration.Capabilities, c => c),
        Members("Outputs", stack.Configuration.Outputs, o => new object?[]
        {
            E("OutputKey", o.Key), E("OutputValue", o.Value), Optional("Description", o.Description), Optional("ExportName", o.ExportName),
        }),
        Optional("RoleARN", stack.Configuration.RoleArn),
        Members("Tags", stack.Configuration.Tags, Tag),
        E("EnableTerminationProtection", "false"),
        stack.LastDriftCheck is { } drift
            ? E("DriftInformation", E("StackDriftStatus", drift.DriftedCount > 0 ? "DRIFTED" : "IN_SYNC"), E("LastCheckTimestamp", Timestamp(drift.StartedAt)))
            : E("DriftInformation", E("StackDriftStatus", "NOT_CHECKED")),
    ];

    private static object?[] StackEvent(SandboxStackEvent e) =>
    [
        E("StackId", e.StackId),
        E("EventId", e.EventId),
        E("StackName", e.StackName),
        E("LogicalResourceId", e.LogicalResourceId),
        E("PhysicalResourceId", e.PhysicalResourceId),
        E("ResourceType", e.ResourceType),
        E("Timestamp", Timestamp(e.Timestamp)),
        E("ResourceStatus", e.ResourceStatus),
        Optional("ResourceStatusReason", e.ResourceStatusReason),
        Optional("ClientRequestToken", e.ClientRequestToken),
    ];

    private static object[] Parameter(KeyValuePair<string, string> p) => [E("ParameterKey", p.Key), E("ParameterValue", p.Value)];

    private static object[] Tag(StackTag t) => [E("Key", t.Key), E("Value", t.Value)];

    [GeneratedRegex(@"^arn:aws[-a-z]*:iam::\d{12}:role/[\w+=,.@/-]+$")]
    private static partial Regex RoleArnPattern();
}
