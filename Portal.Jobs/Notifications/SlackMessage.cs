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
        // The fallback text is what notifications show, and Slack reads markup in it as in the blocks.
        var text = Escape(Text(n));
        var message = new JsonObject
        {
            ["text"] = text,
            ["blocks"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text },
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

    /// <summary>
    /// Slack treats &amp;, &lt; and &gt; as markup (links, <c>&lt;!channel&gt;</c> mentions); failure reasons echo spec values and
    /// names come from the identity provider, so all of it is sent as plain text.
    /// </summary>
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
