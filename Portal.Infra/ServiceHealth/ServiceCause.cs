using System.Text.RegularExpressions;

namespace Portal.Infra.ServiceHealth;

/// <summary>
/// The real cause of a service that could not start, in one sentence for the failure banner, the revision's reason, the
/// API, webhooks and the CLI: "backend: image …/backend:1.9 not found (CannotPullContainerError)". CloudFormation's own
/// sentence ("ECS Deployment Circuit Breaker was triggered") says only that it failed; this says why. The checks go
/// from what stops a task earliest (its image, its secrets) to what stops it latest (its exit, its health check).
/// </summary>
public static partial class ServiceCause
{
    public const string CannotPullContainer = "CannotPullContainerError";
    public const string ResourceInitialization = "ResourceInitializationError";
    public const string ResponseCodeMismatch = "Target.ResponseCodeMismatch";
    public const string EssentialContainerExited = "EssentialContainerExited";

    /// <summary>The cause found in <paramref name="report"/>, or null when nothing in it explains a failure.</summary>
    public static string? Find(ServiceReport report) =>
        CannotPull(report) ?? SecretUnreadable(report) ?? Exited(report) ?? HealthCheckFailed(report);

    private static string? CannotPull(ServiceReport report)
    {
        foreach (var task in report.StoppedTasks)
        {
            var container = task.Containers.FirstOrDefault(c => Mentions(c.Reason, CannotPullContainer));
            if (container is null && !Mentions(task.StoppedReason, CannotPullContainer)) continue;
            var image = (container ?? task.Containers.FirstOrDefault(c => c.Image is not null))?.Image;
            return image is null
                ? $"{report.Component}: the image could not be pulled ({CannotPullContainer})"
                : $"{report.Component}: image {ShortImage(image)} not found ({CannotPullContainer})";
        }
        return null;
    }

    private static string? SecretUnreadable(ServiceReport report)
    {
        foreach (var task in report.StoppedTasks)
        {
            var reason = new[] { task.StoppedReason }.Concat(task.Containers.Select(c => c.Reason))
                .FirstOrDefault(r => Mentions(r, ResourceInitialization));
            if (reason is null) continue;
            return SecretArn().Match(reason) is { Success: true } arn
                ? $"{report.Component}: could not read secret {ShortSecret(arn.Value)} ({ResourceInitialization})"
                : $"{report.Component}: the task could not be prepared ({ResourceInitialization})";
        }
        return null;
    }

    private static string? Exited(ServiceReport report)
    {
        // Only a task ended by its own container: one stopped by the scheduler (a failed health check) exits 143 as told.
        var exited = report.StoppedTasks
            .Where(t => t.StopCode == EssentialContainerExited || t.StoppedReason?.StartsWith("Essential container in task exited", StringComparison.Ordinal) == true)
            .SelectMany(t => t.Containers).FirstOrDefault(c => c.ExitCode is { } code && code != 0);
        if (exited is null) return null;
        var sentence = $"{report.Component}: container exited with code {exited.ExitCode}";
        return report.LogLines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l.Message)) is { } last
            ? $"{sentence}; last log line: {last.Message.Trim()}"
            : sentence;
    }

    private static string? HealthCheckFailed(ServiceReport report)
    {
        // The path is said when known (the portal knows it from the spec; the CLI reads only what AWS answers).
        var on = report.HealthCheckPath is { } path ? $" on {path}" : "";
        var target = report.Targets?.Unhealthy.FirstOrDefault(t => t.Reason is not null && t.State == "unhealthy");
        if (target is not null)
        {
            if (target.Reason == ResponseCodeMismatch && target.Description is not null && ResponseCodes().Match(target.Description) is { Success: true } codes)
                return Answered(report.Component, on, codes);
            return $"{report.Component}: health check{on} failed{(target.Description is null ? "" : ": " + target.Description.TrimEnd('.'))} ({target.Reason})";
        }

        // After a rollback the target group is gone; the service's events still quote the codes ELB received
        // ("… (reason Health checks failed with these codes: [404]).").
        return report.Events.Select(e => ResponseCodes().Match(e.Message)).FirstOrDefault(m => m.Success) is { } quoted
            ? Answered(report.Component, on, quoted)
            : report.StoppedTasks.Any(t => t.StoppedReason?.Contains("failed ELB health checks", StringComparison.OrdinalIgnoreCase) == true)
                ? $"{report.Component}: health check{on} failed (tasks stopped by the load balancer's health checks)"
                : null;
    }

    private static string Answered(string component, string on, Match codes) =>
        $"{component}: health check{on} answered {codes.Groups[1].Value.Replace(" ", "")} ({ResponseCodeMismatch})";

    private static bool Mentions(string? text, string code) => text?.Contains(code, StringComparison.Ordinal) == true;

    /// <summary><c>123.dkr.ecr.us-east-1.amazonaws.com/backend:1.9</c> → <c>…/backend:1.9</c>: the registry says nothing new.</summary>
    private static string ShortImage(string image)
    {
        var slash = image.LastIndexOf('/');
        return slash < 0 ? image : "…" + image[slash..];
    }

    /// <summary><c>arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/db-AbCdEf</c> → <c>…:orders/db</c>: the
    /// name as the team knows it, without the account or the suffix Secrets Manager adds.</summary>
    private static string ShortSecret(string arn)
    {
        var name = arn[(arn.IndexOf(":secret:", StringComparison.Ordinal) + ":secret:".Length)..];
        return "…:" + SecretSuffix().Replace(name, "");
    }

    [GeneratedRegex(@"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+")]
    private static partial Regex SecretArn();

    [GeneratedRegex(@"-[A-Za-z0-9]{6}$")]
    private static partial Regex SecretSuffix();

    [GeneratedRegex(@"codes: \[([0-9, ]+)\]")]
    private static partial Regex ResponseCodes();
}
