using System.Net;

namespace Portal.Sandbox;

/// <summary>An error answered in the AWS Query <c>ErrorResponse</c> shape.</summary>
internal sealed class CloudFormationError(HttpStatusCode status, string code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
    public string Code { get; } = code;

    /// <summary>"Sender" for 4xx (the caller's fault), "Receiver" for 5xx, as AWS reports it.</summary>
    public string FaultType => (int)Status >= 500 ? "Receiver" : "Sender";

    public static CloudFormationError Validation(string message) => new(HttpStatusCode.BadRequest, "ValidationError", message);

    public static CloudFormationError MissingParameter(string field) =>
        Validation($"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null");

    public static CloudFormationError StackNotFound(string stackName) => Validation($"Stack with id {stackName} does not exist");

    public static CloudFormationError ChangeSetNotFound(string changeSetName) =>
        new(HttpStatusCode.NotFound, "ChangeSetNotFound", $"ChangeSet [{changeSetName}] does not exist");

    public static CloudFormationError InvalidChangeSetStatus(string message) => new(HttpStatusCode.BadRequest, "InvalidChangeSetStatus", message);

    /// <summary>A quota reached, answered as AWS answers its own (400 LimitExceededException).</summary>
    public static CloudFormationError LimitExceeded(string message) => new(HttpStatusCode.BadRequest, "LimitExceededException", message);

    public static CloudFormationError Throttling() => new(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded");
}
