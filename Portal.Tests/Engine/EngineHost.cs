using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Engine;

/// <summary>
/// The deploy engine as the portal wires it, against a sandbox on 127.0.0.1: the real <see cref="CloudFormationClient"/>
/// (SigV4 over HTTP, the sandbox's credentials), <see cref="ChangeSets"/> and a <see cref="StackEventWatcher"/> polling fast.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    /// <summary>How long any one wait may take before the test fails (jsii is not involved here).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static readonly WatchOptions FastPolling = new()
    {
        ActiveInterval = TimeSpan.FromMilliseconds(20),
        QuietInterval = TimeSpan.FromMilliseconds(100),
    };

    private readonly HttpClient? _signedByClock;

    private EngineHost(SandboxServer sandbox, CloudFormationClient client, HttpClient? signedByClock)
    {
        Sandbox = sandbox;
        Client = client;
        _signedByClock = signedByClock;
        Watcher = new StackEventWatcher(FastPolling);
        ChangeSets = new ChangeSets(Watcher, Options.Create(FastPolling), TimeProvider.System);
    }

    public SandboxServer Sandbox { get; }
    public CloudFormationClient Client { get; }
    public StackEventWatcher Watcher { get; }
    public ChangeSets ChangeSets { get; }

    /// <param name="clock">
    /// The sandbox's clock: a fake one makes stacks progress only when the test advances it, and the client signs by it
    /// (the sandbox refuses a signature more than 15 minutes off its clock).
    /// </param>
    public static async Task<EngineHost> StartAsync(
        double throttleRate = 0, CloudFormationClientOptions? clientOptions = null, TimeProvider? clock = null)
    {
        // On a fake clock at TimeScale 1 the read budget would be AWS's 5 a second of a clock that stands still while the
        // engine polls: these tests throttle with throttleRate instead.
        var options = new SandboxOptions
        {
            TimeScale = clock is null ? 0.001 : 1,
            ThrottleRate = throttleRate,
            ReadBudget = { RatePerSecond = clock is null ? new ReadBudgetOptions().RatePerSecond : 0 },
        };
        var sandbox = await SandboxServer.StartAsync(options, clock ?? TimeProvider.System, CancellationToken.None);
        var credentials = SandboxSigning.Credentials(options);
        if (clock is null)
            return new EngineHost(sandbox, CloudFormationClient.Create(sandbox.Url, credentials, "us-east-1", clientOptions), null);
        var http = new HttpClient(new SandboxSigning.ClockHandler(credentials, clock)) { Timeout = Timeout.InfiniteTimeSpan };
        return new EngineHost(sandbox, new CloudFormationClient(http, sandbox.Url, clientOptions), http);
    }

    public async Task<ChangeSetPlan> PlanAsync(string stackName, string template, string changeSetName)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        return await ChangeSets.PlanAsync(Client, new PlanRequest
        {
            StackName = stackName,
            TemplateBody = template,
            ChangeSetName = changeSetName,
            ClientToken = $"{changeSetName}-token",
        }, deadline.Token);
    }

    public async Task<WatchRun> ExecuteAndWatchAsync(ChangeSetPlan plan)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await ChangeSets.ExecuteAsync(Client, plan.ChangeSetId, $"execute-{Guid.NewGuid():N}", deadline.Token);
        return await WatchAsync(new WatchRequest { StackName = plan.StackId, Since = plan.WatchSince, TotalResources = plan.Changes.Count });
    }

    /// <summary>Deletes the stack as the CLI's destroy does: note the newest event, DeleteStack, watch.</summary>
    public async Task<WatchRun> DeleteAndWatchAsync(string stackId)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var since = await StackEventWatcher.AfterNewestEventAsync(Client, stackId, deadline.Token);
        await Client.DeleteStackAsync(new DeleteStackRequest { StackName = stackId, ClientRequestToken = $"delete-{Guid.NewGuid():N}" }, deadline.Token);
        return await WatchAsync(new WatchRequest { StackName = stackId, Since = since });
    }

    /// <summary>Watches until the outcome, which must arrive before the deadline.</summary>
    public async Task<WatchRun> WatchAsync(WatchRequest request)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var updates = new List<WatchUpdate>();
        await foreach (var update in Watcher.WatchAsync(Client, request, deadline.Token))
            updates.Add(update);
        return new WatchRun(request.Since, updates);
    }

    /// <summary>Every event CloudFormation lists for the stack from <paramref name="since"/> on, oldest first.</summary>
    public async Task<List<StackEvent>> EventsSinceAsync(string stackId, DateTime since)
    {
        var events = new List<StackEvent>();
        string? token = null;
        do
        {
            var page = await Client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = stackId, NextToken = token });
            events.AddRange(page.StackEvents);
            token = page.NextToken;
        }
        while (token is not null);
        events.Reverse();
        return [.. events.Where(e => e.Timestamp >= since)];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _signedByClock?.Dispose();
        await Sandbox.DisposeAsync();
    }
}

/// <summary>Everything one watch handed on; the last update carries the outcome.</summary>
internal sealed record WatchRun(DateTime Since, IReadOnlyList<WatchUpdate> Updates)
{
    public IReadOnlyList<StackEvent> Events => [.. Updates.SelectMany(u => u.NewEvents)];
    public WatchOutcome Outcome => Updates[^1].Outcome ?? throw new InvalidOperationException("The watch ended without an outcome.");

    /// <summary>
    /// The watch handed on exactly the operation's events as CloudFormation lists them: none dropped, none twice,
    /// oldest first.
    /// </summary>
    public async Task AssertDeliveredEveryEventOnceOldestFirstAsync(EngineHost host)
    {
        var listed = await host.EventsSinceAsync(Outcome.StackId, Since);
        Assert.Equal(listed.Select(e => e.EventId), Events.Select(e => e.EventId));
    }
}
