using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Portal.Infra.Sandbox.QueryXml;

namespace Portal.Infra.Sandbox;

/// <summary>The CloudFormation actions the sandbox answers: request parameters in, result element out.</summary>
internal static partial class QueryActions
{
    public const string Version = "2010-05-15";

    private static readonly HashSet<string> KnownCapabilities = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"];

    /// <summary>Action name → handler; a null result means the action's reply has no Result element.</summary>
    public static readonly IReadOnlyDictionary<string, Func<CloudFormationSimulator, QueryRequest, XElement?>> Handlers =
        new Dictionary<string, Func<CloudFormationSimulator, QueryRequest, XElement?>>(StringComparer.Ordinal)
        {
            ["CreateChangeSet"] = CreateChangeSet,
            ["DescribeChangeSet"] = DescribeChangeSet,
            ["ExecuteChangeSet"] = (cfn, r) =>
            {
                cfn.ExecuteChangeSet(r.Required("ChangeSetName", "changeSetName"), r.Optional("StackName"), r.Optional("ClientRequestToken"));
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
                cfn.DeleteStack(r.Required("StackName", "stackName"), r.Optional("ClientRequestToken"));
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
        if (roleArn is not null && !RoleArnPattern().IsMatch(roleArn))
            throw CloudFormationError.Validation($"RoleARN '{roleArn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).");

        var (id, stackId) = cfn.CreateChangeSet(new CreateChangeSetInput(
            r.Required("StackName", "stackName"),
            QueryRequest.CheckName(r.Required("ChangeSetName", "changeSetName"), "changeSetName"),
            r.Optional("ChangeSetType") ?? "UPDATE",
            r.Optional("TemplateBody"),
            r.Flag("UsePreviousTemplate"),
            Parameters(r),
            capabilities,
            roleArn,
            Tags(r),
            r.Optional("ClientToken"),
            r.Optional("Description")));
        return E("CreateChangeSetResult", E("Id", id), E("StackId", stackId));
    }

    private static Dictionary<string, string> Parameters(QueryRequest r)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (member, index) in r.Structures("Parameters").Select((m, i) => (m, i + 1)))
        {
            var key = member.GetValueOrDefault("ParameterKey") ?? throw CloudFormationError.Validation($"Parameters.member.{index}.ParameterKey is required.");
            if (member.GetValueOrDefault("UsePreviousValue") == "true")
                throw CloudFormationError.Validation($"Parameters.member.{index}.UsePreviousValue is not supported by the sandbox; send ParameterValue.");
            parameters[key] = member.GetValueOrDefault("ParameterValue") ?? "";
        }
        return parameters;
    }

    private static List<StackTag> Tags(QueryRequest r)
    {
        var tags = r.Structures("Tags").Select((member, i) => new StackTag(
            member.GetValueOrDefault("Key") is { Length: > 0 } key ? key : throw CloudFormationError.Validation($"Tags.member.{i + 1}.Key is required."),
            member.GetValueOrDefault("Value") ?? "")).ToList();
        if (tags.Count > 50)
            throw CloudFormationError.Validation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
        return tags;
    }

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
