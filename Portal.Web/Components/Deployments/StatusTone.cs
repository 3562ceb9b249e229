namespace Portal.Web.Components.Deployments;

/// <summary>How a CloudFormation status reads at a glance: green done, blue working, red failed, orange rolling back.</summary>
public enum StatusTone
{
    /// <summary>No event yet, or a status that is neither (e.g. DELETE_SKIPPED).</summary>
    Neutral,
    Done,
    Working,
    Failed,
    RollingBack,
}

public static class StatusTones
{
    /// <summary>A failure is red even while rolling back (UPDATE_ROLLBACK_FAILED); any other rollback status is orange.</summary>
    public static StatusTone Of(string? status) => status switch
    {
        null => StatusTone.Neutral,
        _ when status.EndsWith("_FAILED", StringComparison.Ordinal) => StatusTone.Failed,
        _ when status.Contains("ROLLBACK", StringComparison.Ordinal) => StatusTone.RollingBack,
        _ when status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) => StatusTone.Working,
        _ when status.EndsWith("_COMPLETE", StringComparison.Ordinal) => StatusTone.Done,
        _ => StatusTone.Neutral,
    };

    /// <summary>The CSS class (app.css) that colours a status.</summary>
    public static string CssClass(string? status) => "portal-tone portal-tone-" + Of(status).ToString().ToLowerInvariant();
}
