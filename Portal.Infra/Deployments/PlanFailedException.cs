namespace Portal.Infra.Deployments;

/// <summary>CloudFormation refused the plan (e.g. a ValidationError, or the change set FAILED for a reason).</summary>
public sealed class PlanFailedException(string message, Exception? inner = null) : Exception(message, inner);
