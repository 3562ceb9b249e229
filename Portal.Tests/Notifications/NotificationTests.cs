using System.Reflection;
using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Hosting;
using Portal.Jobs.Notifications;
using Portal.Jobs.Revisions;
using Portal.Tests.Access;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Notifications;

/// <summary>
/// Webhooks of a target receive Slack-compatible JSON for each event, delivered by Hangfire jobs (a real server on
/// the fixture's storage runs plan, deploy and delivery jobs) to a receiver on 127.0.0.1, retried when it fails.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class NotificationTests : IAsyncLifetime
{
    /// <summary>The part of a webhook URL that is its credential: it must never reach a log.</summary>
    private const string SecretPath = "services/T0001/B0002/s3cr3tT0k3n";

    private readonly CapturedLogs _logs = new();
    private WebhookReceiver _receiver = null!;
    private JobsFixture _jobs = null!;
    private BackgroundJobServer _server = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _jobs = await JobsFixture.StartAsync(
            services => services.AddLogging(logging => logging.AddProvider(_logs)),
            _ => new Dictionary<string, string?> { ["Targets:sandbox:Webhooks:0"] = new Uri(_receiver.BaseAddress, SecretPath).ToString() });
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                Activator = _jobs.Services.GetRequiredService<JobActivator>(),
                SchedulePollingInterval = TimeSpan.FromMilliseconds(200),
                WorkerCount = 4,
            },
            _jobs.Services.GetRequiredService<JobStorage>());
    }

    public async Task DisposeAsync()
    {
        _server.SendStop();
        _server.Dispose();
        await _jobs.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task AwaitingApprovalDeployedFailedAndExpiredEachReachTheWebhookAsSlackJson()
    {
        var ok = await SubmitAsync("orders-dev");
        var awaiting = await MessageAsync("orders-dev: revision 1 (Create) awaits approval");
        await Approve(ok);
        var deployed = await MessageAsync("orders-dev: revision 1 (Create) deployed");

        var bad = await SubmitAsync("orders-qa", tag: "fail-1.0.0");
        await MessageAsync("orders-qa: revision 1 (Create) awaits approval");
        await Approve(bad);
        var failed = await MessageAsync("orders-qa: revision 1 (Create) failed");

        await PassExpiryAsync("orders-dev");
        await _jobs.Get<ExpiryJob>().RunAsync(default);
        var expired = await MessageAsync("orders-dev: expired on");

        Assert.Equal("orders-dev: revision 1 (Create) awaits approval: 50 changes to review", Text(awaiting));
        Assert.Equal("orders-dev: revision 1 (Create) deployed: CREATE_COMPLETE", Text(deployed));
        // The real cause, as ECS and the container's log tell it; then CloudFormation's root cause: the resource that failed
        // and its reason, not the stack's summary line.
        Assert.Matches(@"^orders-qa: revision 1 \(Create\) failed: frontend: container exited with code 1; last log line: Error: start-up failed: .+\. " +
                       "CloudFormation: ROLLBACK_COMPLETE: FrontendService", Text(failed));
        Assert.Contains("Circuit Breaker", Text(failed));
        Assert.EndsWith("destroy requested as revision 2", Text(expired));
        foreach (var message in new[] { awaiting, deployed, failed, expired })
        {
            var blocks = message.GetProperty("blocks");
            Assert.Equal("section", blocks[0].GetProperty("type").GetString());
            Assert.Equal("mrkdwn", blocks[0].GetProperty("text").GetProperty("type").GetString());
            Assert.Equal("context", blocks[1].GetProperty("type").GetString());
        }
        Assert.Contains("requested by system:expiry", expired.GetProperty("blocks")[1].GetProperty("elements")[0].GetProperty("text").GetString());
        Assert.All(_receiver.Requests, r => Assert.Equal("/" + SecretPath, r.Path));
    }

    [Fact]
    public async Task AWebhookFailingTwiceGetsTheMessageOnTheThirdAttemptAndLogsShowOnlyItsHost()
    {
        _receiver.FailNext(2);

        await SubmitAsync("orders-dev");
        await MessageAsync("orders-dev: revision 1 (Create) awaits approval");

        Assert.Equal([500, 500, 200], _receiver.Requests.Select(r => r.Status));
        // Hangfire scheduled each retry after WebhookDelivery's delays: 1 s, then 2 s (of 1, 2, 4 … 512 s, 10 attempts).
        var retry = typeof(WebhookDelivery).GetCustomAttribute<AutomaticRetryAttribute>()!;
        Assert.Equal(10, retry.Attempts);
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512], retry.DelaysInSeconds);
        var scheduled = (await DeliveryHistoryAsync()).Where(s => s.StateName == ScheduledState.StateName).ToList();
        Assert.Equal(retry.DelaysInSeconds.Take(2), scheduled.Select(ScheduledDelaySeconds));
        Assert.Equal(["Retry attempt 1 of 10", "Retry attempt 2 of 10"], scheduled.Select(s => s.Reason[..21]));
        Assert.Contains(_logs.Lines, line => line.Contains("delivered to 127.0.0.1"));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains("s3cr3tT0k3n"));
        // Nor Hangfire's storage (job arguments, failed attempts' exceptions), which the dashboard shows.
        var stored = await StoredHangfireTextAsync();
        Assert.Contains(nameof(WebhookDelivery), stored); // the deliveries were read
        Assert.DoesNotContain("s3cr3tT0k3n", stored);
    }

    [Fact]
    public async Task AWebhookRefusingWithAnother4xxIsLoggedAndDroppedWithoutARetry()
    {
        _receiver.FailNext(1, status: 404);

        await SubmitAsync("orders-dev");
        var history = await DeliveryHistoryAsync();

        Assert.Equal([404], _receiver.Requests.Select(r => r.Status));
        // The job ended at once: no failed attempt, no retry scheduled.
        Assert.DoesNotContain(history, s => s.StateName == FailedState.StateName || s.StateName == ScheduledState.StateName);
        Assert.Contains(_logs.Lines, line => line.Contains("refused by 127.0.0.1 with HTTP 404; not retried"));
    }

    [Fact]
    public async Task TheMinutelySweepSendsANotificationSavedButNotQueuedBeforeACrash()
    {
        // What a crash between a change's commit and the dispatcher's nudge leaves: a saved notification no job carries.
        await using (var db = await _jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync())
        {
            db.Notifications.Add(new Notification(NotificationEvent.Deployed, "orders-dev", "sandbox", 1, RevisionKind.Create, new Person(PersonId.Development("alice"), "alice"), "CREATE_COMPLETE"));
            await db.SaveChangesAsync();
        }

        // The sweep as a process that runs jobs registers it at start-up; its next minute comes now.
        var recurring = _jobs.Get<IRecurringJobManager>();
        await new RecurringJobs(_jobs.Get<RecurringJobRegistrar>(), Options.Create(new ExpiryOptions())).StartAsync(default);
        using (var connection = _jobs.Get<JobStorage>().GetConnection())
            Assert.Equal(Cron.Minutely(), connection.GetRecurringJobs().Single(j => j.Id == NotificationDispatcher.RecurringJobId).Cron);
        recurring.Trigger(NotificationDispatcher.RecurringJobId);

        var deployed = await MessageAsync("orders-dev: revision 1 (Create) deployed");
        Assert.Equal("orders-dev: revision 1 (Create) deployed: CREATE_COMPLETE", Text(deployed));
    }

    /// <summary>The states of the one webhook delivery job, oldest first, once it succeeded.</summary>
    private async Task<List<StateHistoryDto>> DeliveryHistoryAsync()
    {
        var monitoring = _jobs.Get<JobStorage>().GetMonitoringApi();
        string? id = null;
        await Poll.UntilAsync(() =>
        {
            id = monitoring.SucceededJobs(0, 100).FirstOrDefault(j => j.Value.Job?.Type == typeof(WebhookDelivery)).Key;
            return Task.FromResult(id is not null);
        }, "the delivery job to succeed", seconds: 60);
        return monitoring.JobDetails(id).History.OrderBy(s => s.CreatedAt).ToList();
    }

    /// <summary>How long after its failure Hangfire scheduled the retry, in whole seconds.</summary>
    private static int ScheduledDelaySeconds(StateHistoryDto scheduled) =>
        (int)Math.Round((JobHelper.DeserializeDateTime(scheduled.Data["EnqueueAt"]) - JobHelper.DeserializeDateTime(scheduled.Data["ScheduledAt"])).TotalSeconds);

    /// <summary>Everything Hangfire stored: its SQLite files, or every row of its PostgreSQL schema as text.</summary>
    private async Task<string> StoredHangfireTextAsync()
    {
        if (DatabaseConfiguration.Provider(_jobs.Configuration) != DatabaseProvider.Postgres)
            return string.Concat(Directory.GetFiles(_jobs.DataDirectory, "hangfire*").Select(f => System.Text.Encoding.Latin1.GetString(ReadShared(f))));

        await using var connection = new Npgsql.NpgsqlConnection(DatabaseConfiguration.PostgresConnectionString(_jobs.Configuration));
        await connection.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var table in new[] { "job", "state", "jobparameter", "jobqueue", "hash", "set", "list", "counter" })
        {
            await using var command = new Npgsql.NpgsqlCommand($"SELECT t::text FROM {HangfireStorage.Schema}.{table} t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }
        return text.ToString();
    }

    private async Task<int> SubmitAsync(string name, string? tag = null) =>
        (await _jobs.Get<EnvironmentCommands>().SubmitAsync(new SubmitEnvironment(JobsFixture.Spec(name, tag)), WorkflowTest.Alice, default)).Id;

    private async Task Approve(int revisionId)
    {
        await Poll.UntilAsync(async () => (await _jobs.RevisionAsync(revisionId)).Status == Portal.Jobs.Revisions.RevisionStatus.AwaitingApproval,
            $"revision {revisionId} to await approval");
        await _jobs.Get<ApprovalCommands>().ApproveAsync(new ApproveRevision(revisionId, "ok"), WorkflowTest.Bob, default);
    }

    private async Task<JsonElement> MessageAsync(string textStart)
    {
        JsonElement found = default;
        await Poll.UntilAsync(() =>
        {
            var match = _receiver.Delivered.Where(m => Text(m).StartsWith(textStart, StringComparison.Ordinal)).ToList();
            if (match.Count > 0) found = match[0];
            return Task.FromResult(match.Count > 0);
        }, $"a message starting \"{textStart}\"", seconds: 60);
        return found;
    }

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Text(JsonElement message) => message.GetProperty("text").GetString()!;

    private async Task PassExpiryAsync(string name)
    {
        await using var db = await _jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        await db.Environments.Where(e => e.Name == name)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
    }
}
