namespace Portal.Sandbox;

/// <summary>
/// A request the sandbox received: its Action, the stack and change set it names (as sent: a name or an ARN), and
/// when it arrived by the sandbox's clock.
/// </summary>
internal sealed record SandboxCall(string Action, string? StackName, string? ChangeSetName, DateTimeOffset At);
