namespace Portal.Web.Api;

/// <summary>A stack resource that drifted: MODIFIED (with its property differences) or DELETED.</summary>
public sealed record DriftedStackResource(
    string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string DriftStatus, IReadOnlyList<DriftDifferenceResource> Differences);

/// <summary>One property that differs from the template: where, what the template says, what the resource has.</summary>
public sealed record DriftDifferenceResource(string PropertyPath, string ExpectedValue, string ActualValue, string DifferenceType);
