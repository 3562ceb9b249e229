using System.Net;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.Targets;
using Portal.Jobs.Data;

namespace Portal.Jobs.Notifications;

/// <summary>
/// Posts one notification to one webhook of its target. A 5xx, 408, 429, timeout or connection failure throws, and
/// Hangfire runs the job again with exponential backoff (1 s, 2 s, 4 s … about 17 minutes in all); any other 4xx is
/// the webhook refusing the message for good and is logged, not retried. Only the URL's host is ever logged or
/// stored in an error: the URL is the webhook's secret.
/// </summary>
[AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])]
public sealed class WebhookDelivery(
    IDbContextFactory<PortalDb> databases,
    IOptionsMonitor<TargetOptions> targets,
    WebhookClient client,
    ILogger<WebhookDelivery> logger)
{
    public async Task DeliverAsync(long notificationId, int webhook, CancellationToken cancellationToken)
    {
        Notification? notification;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            notification = await db.Notifications.AsNoTracking().SingleOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        if (notification is null
            || !targets.CurrentValue.TryGetValue(notification.Target, out var target)
            || webhook >= target.Webhooks.Count
            || !Uri.TryCreate(target.Webhooks[webhook], UriKind.Absolute, out var url))
        {
            logger.LogWarning("Notification {NotificationId}: webhook {Webhook} is no longer configured; dropped", notificationId, webhook);
            return;
        }

        HttpStatusCode status;
        try
        {
            using var content = new StringContent(SlackMessage.Json(notification), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url, content, cancellationToken);
            status = response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not the exception itself: its message may carry the address, and Hangfire stores it.
            throw new WebhookDeliveryException($"{notification.Event} for {notification.EnvironmentName} to {url.Host}: " +
                                               (e is HttpRequestException h ? $"request failed ({h.HttpRequestError})" : "timed out"));
        }

        if ((int)status < 300)
        {
            logger.LogInformation("Notification {NotificationId} ({Event}) delivered to {WebhookHost}", notificationId, notification.Event, url.Host);
        }
        else if ((int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            throw new WebhookDeliveryException($"{notification.Event} for {notification.EnvironmentName} to {url.Host}: HTTP {(int)status}");
        }
        else
        {
            logger.LogWarning("Notification {NotificationId} ({Event}) refused by {WebhookHost} with HTTP {Status}; not retried",
                notificationId, notification.Event, url.Host, (int)status);
        }
    }
}

/// <summary>A delivery that may succeed later; Hangfire retries the job.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);
