using Portal.Infra.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>A sandbox server on 127.0.0.1 with a near-zero time scale, and a raw Query client for it.</summary>
internal sealed class SandboxTestHost : IAsyncDisposable
{
    private SandboxTestHost(SandboxServer server)
    {
        Server = server;
        Api = new SandboxApi(server.Url);
    }

    public SandboxServer Server { get; }
    public SandboxApi Api { get; }

    public static async Task<SandboxTestHost> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { TimeScale = 0.001 };
        configure?.Invoke(options);
        return new SandboxTestHost(await SandboxServer.StartAsync(options, CancellationToken.None));
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
internal sealed record DescribedStack(System.Xml.Linq.XElement Element)
{
    private static readonly System.Xml.Linq.XNamespace Ns = SandboxApi.Ns;

    public string Status => SandboxApi.Status(Element);
    public string Id => Element.Element(Ns + "StackId")!.Value;

    public Dictionary<string, string> Outputs => Element.Element(Ns + "Outputs")!.Elements(Ns + "member")
        .ToDictionary(m => m.Element(Ns + "OutputKey")!.Value, m => m.Element(Ns + "OutputValue")!.Value);
}
