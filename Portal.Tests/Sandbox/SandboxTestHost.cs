using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>A sandbox server on 127.0.0.1 with a near-zero time scale, and a raw Query client for it that signs as its clients must.</summary>
internal sealed class SandboxTestHost : IAsyncDisposable
{
    private SandboxTestHost(SandboxServer server, TimeProvider? clock = null)
    {
        Server = server;
        Api = new SandboxApi(server.Url, SandboxSigning.Credentials(server.CloudFormation.Options), clock);
    }

    public SandboxServer Server { get; }
    public SandboxApi Api { get; }

    public static async Task<SandboxTestHost> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { TimeScale = 0.001 };
        configure?.Invoke(options);
        return new SandboxTestHost(await SandboxServer.StartAsync(options, CancellationToken.None));
    }

    /// <summary>
    /// A sandbox whose simulated durations pass only when <paramref name="clock"/> is advanced (at TimeScale 1). Its read
    /// budget is off unless <paramref name="configure"/> sets one: at TimeScale 1 it is AWS's 5 reads a second, which a
    /// test polling without moving the clock would spend at once.
    /// </summary>
    public static async Task<SandboxTestHost> StartAsync(FakeTimeProvider clock, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { TimeScale = 1, ReadBudget = { RatePerSecond = 0 } };
        configure?.Invoke(options);
        return new(await SandboxServer.StartAsync(options, clock, CancellationToken.None), clock);
    }

    /// <summary>Waits, without moving the clock, until the stack has an event matching <paramref name="match"/>.</summary>
    public Task UntilEventAsync(string stackName, Func<StackEventRow, bool> match) =>
        SandboxApi.PollAsync(() => Api.AllEventsAsync(stackName), events => events.Any(match));

    /// <summary>Advances the clock until the stack is no longer in progress.</summary>
    public Task<XElement> SettleAsync(FakeTimeProvider clock, string stackName) =>
        SandboxApi.PollAsync(async () =>
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            return await Api.DescribeStackAsync(stackName);
        }, s => !SandboxApi.Status(s).EndsWith("_IN_PROGRESS", StringComparison.Ordinal));

    /// <summary>Creates a change set on a fake clock and waits until it is computed.</summary>
    public async Task<string> PlanAsync(FakeTimeProvider clock, string stackName, string changeSetName, string template, string type)
    {
        var changeSetId = await Api.CreateChangeSetAsync(stackName, changeSetName, template, type);
        clock.Advance(TimeSpan.FromSeconds(3));
        await Api.WaitForChangeSetAsync(changeSetId);
        return changeSetId;
    }

    /// <summary>Creates a stack from <paramref name="template"/> and waits until it settles.</summary>
    public async Task<DescribedStack> DeployAsync(string stackName, string template)
    {
        var changeSetId = await Api.CreateChangeSetAsync(stackName, "create", template);
        await Api.WaitForChangeSetAsync(changeSetId);
        return new DescribedStack(await Api.ExecuteAndWaitAsync(changeSetId, stackName));
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>A DescribeStacks member, read.</summary>
internal sealed record DescribedStack(XElement Element)
{
    private static readonly XNamespace Ns = SandboxApi.Ns;

    public string Status => SandboxApi.Status(Element);
    public string Id => Element.Element(Ns + "StackId")!.Value;

    public Dictionary<string, string> Outputs => Element.Element(Ns + "Outputs")!.Elements(Ns + "member")
        .ToDictionary(m => m.Element(Ns + "OutputKey")!.Value, m => m.Element(Ns + "OutputValue")!.Value);
}
