using System.Globalization;
using System.Xml.Linq;
using static Portal.Sandbox.QueryXml;

namespace Portal.Sandbox;

internal static partial class QueryActions
{
    private const int MaxDriftResults = 100;

    private static XElement DetectStackDrift(CloudFormationSimulator cfn, QueryRequest r) =>
        E("DetectStackDriftResult",
            E("StackDriftDetectionId", cfn.DetectStackDrift(r.Required("StackName", "stackName"), r.List("LogicalResourceIds"))));

    private static XElement DescribeStackDriftDetectionStatus(CloudFormationSimulator cfn, QueryRequest r)
    {
        var view = cfn.DescribeStackDriftDetectionStatus(r.Required("StackDriftDetectionId", "stackDriftDetectionId"));
        return E("DescribeStackDriftDetectionStatusResult",
            E("StackId", view.StackId),
            E("StackDriftDetectionId", view.Id),
            Optional("StackDriftStatus", view.StackDriftStatus),
            E("DetectionStatus", view.DetectionStatus),
            Optional("DriftedStackResourceCount", view.DriftedCount?.ToString(CultureInfo.InvariantCulture)),
            E("Timestamp", Timestamp(view.StartedAt)));
    }

    private static XElement DescribeStackResourceDrifts(CloudFormationSimulator cfn, QueryRequest r)
    {
        var filters = r.List("StackResourceDriftStatusFilters");
        foreach (var filter in filters.Where(f => f is not ("IN_SYNC" or "MODIFIED" or "DELETED" or "NOT_CHECKED")))
            throw CloudFormationError.Validation($"1 validation error detected: Value '[{filter}]' at 'stackResourceDriftStatusFilters' failed to satisfy constraint: Member must satisfy enum value set: [IN_SYNC, MODIFIED, DELETED, NOT_CHECKED]");
        var maxResults = MaxDriftResults;
        if (r.Optional("MaxResults") is { } max &&
            (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxResults) || maxResults is < 1 or > MaxDriftResults))
            throw CloudFormationError.Validation($"1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {MaxDriftResults}");
        var page = cfn.DescribeStackResourceDrifts(r.Required("StackName", "stackName"), filters, r.Optional("NextToken"), maxResults);
        return E("DescribeStackResourceDriftsResult",
            Members("StackResourceDrifts", page.Drifts, ResourceDrift),
            Optional("NextToken", page.NextToken));
    }

    private static object?[] ResourceDrift(SandboxResourceDrift d) =>
    [
        E("StackId", d.StackId),
        E("LogicalResourceId", d.LogicalResourceId),
        E("PhysicalResourceId", d.PhysicalResourceId),
        E("ResourceType", d.ResourceType),
        E("ExpectedProperties", d.ExpectedProperties),
        Optional("ActualProperties", d.ActualProperties),
        Members("PropertyDifferences", d.PropertyDifferences, p => new object[]
        {
            E("PropertyPath", p.PropertyPath), E("ExpectedValue", p.ExpectedValue), E("ActualValue", p.ActualValue), E("DifferenceType", p.DifferenceType),
        }),
        E("StackResourceDriftStatus", d.Status),
        E("Timestamp", Timestamp(d.Timestamp)),
    ];
}
