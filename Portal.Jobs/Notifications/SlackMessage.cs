using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Jobs.Revisions;

namespace Portal.Jobs.Notifications;

/// <summary>
/// A notification as Slack's incoming webhooks take it: <c>text</c> (the fallback and the push notification) and
/// <c>blocks</c> (a section with the message and a context line). Other chat tools accept the same shape.
/// </summary>
public static class SlackMessage
{
    public static string Text(Notification n) => n.Event switch
    {
        NotificationEvent.AwaitingApproval => $"{n.EnvironmentName}: revision {n.RevisionNumber} ({n.RevisionKind}) awaits approval" + Suffix(n.Details),
        NotificationEvent.Deployed when n.RevisionKind == RevisionKind.Destroy => $"{n.EnvironmentName}: destroyed (revision {n.RevisionNumber})",
        NotificationEvent.Deployed => $"{n.EnvironmentName}: revision {n.RevisionNumber} ({n.RevisionKind}) deployed" + Suffix(n.Details),
        NotificationEvent.Failed => $"{n.EnvironmentName}: revision {n.RevisionNumber} ({n.RevisionKind}) failed" + Suffix(n.Details),
        NotificationEvent.Expired => $"{n.EnvironmentName}: {n.Details}",
        _ => throw new ArgumentOutOfRangeException(nameof(n), n.Event, "unknown notification event"),
    };

    public static string Json(Notification n)
    {
        var text = Text(n);
        var message = new JsonObject
        {
            ["text"] = text,
            ["blocks"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Escape(text) },
                },
                new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "mrkdwn",
                        ["text"] = Escape($"{n.Event} · target {n.Target} · revision {n.RevisionNumber} requested by {n.RequestedBy.Name}"),
                    }),
                }),
        };
        return message.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static string Suffix(string? details) => string.IsNullOrWhiteSpace(details) ? "" : $": {details}";

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as markup (links, mentions); reasons are plain text.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
