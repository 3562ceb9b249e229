using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Drift;

/// <summary>Who may check an environment's drift and when: one rule for the command, the job and the pages.</summary>
public static class DriftRules
{
    /// <summary>Every role may check: detection only reads the stack, and an approver needs it before deciding.</summary>
    public static bool MayCheck(Actor actor) => actor.MayRequest || actor.MayDecide;

    /// <summary>Why the environment's stack cannot be checked now, or null when it can.</summary>
    public static string? Unavailable(ManagedEnvironment environment) =>
        Unavailable(environment.Name, environment.Status,
            environment.Revisions.FirstOrDefault(r => r.Status is RevisionStatus.Approved or RevisionStatus.Deploying) is { } deploy
                ? (deploy.Number, deploy.Status) : null,
            environment.DeployedRevisionNumber);

    /// <summary>The same rule on the summary the pages hold: its current revision is the one that may be deploying.</summary>
    public static string? Unavailable(EnvironmentSummary environment) =>
        Unavailable(environment.Name, environment.Status,
            environment.CurrentRevisionStatus is RevisionStatus.Approved or RevisionStatus.Deploying
                ? (environment.CurrentRevisionNumber, environment.CurrentRevisionStatus) : null,
            environment.DeployedRevisionNumber);

    private static string? Unavailable(string name, EnvironmentStatus status, (int Number, RevisionStatus Status)? deploy, int? deployedRevisionNumber)
    {
        // A check while CloudFormation changes the stack would report the deploy itself as drift.
        if (deploy is { } d)
            return $"revision {d.Number} of {name} is {(d.Status == RevisionStatus.Approved ? "about to deploy" : "deploying")}; check drift once it finishes";
        if (status is EnvironmentStatus.Deploying or EnvironmentStatus.Destroying)
            return $"{name} is {status.ToString().ToLowerInvariant()}; check drift once it finishes";
        if (deployedRevisionNumber is null)
            return $"{name} has no deployed stack to check";
        return null;
    }
}
