using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Sandbox;

/// <summary>The sandbox endpoint alone on a loopback port (tests, the CLI): <see cref="Url"/> is its ServiceUrl.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, Uri url, SandboxCloudFormation cloudFormation)
    {
        _app = app;
        Url = url;
        CloudFormation = cloudFormation;
    }

    /// <summary>Where the endpoint answers, e.g. http://127.0.0.1:41234/ (the API is at the root, as AWS's is).</summary>
    public Uri Url { get; }

    /// <summary>The same account's ECS (JSON 1.1), CloudWatch Logs (JSON 1.1) and Elastic Load Balancing (Query) endpoints.</summary>
    public Uri EcsUrl => new(Url, SandboxHosting.EcsSegment);
    public Uri LogsUrl => new(Url, SandboxHosting.LogsSegment);
    public Uri ElasticLoadBalancingUrl => new(Url, SandboxHosting.ElasticLoadBalancingSegment);

    /// <summary>The same account's SQS endpoint (JSON 1.0), e.g. http://127.0.0.1:41234/sqs; queue URLs are below it.</summary>
    public Uri SqsUrl => new(Url, SandboxHosting.SqsSegment);

    /// <summary>The endpoint's controls: call counts, throttling, pause and resume.</summary>
    public SandboxCloudFormation CloudFormation { get; }

    public static Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, TimeProvider.System, cancellationToken);

    /// <summary>With a given clock: tests drive simulated durations with a fake one.</summary>
    internal static async Task<SandboxServer> StartAsync(SandboxOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var cloudFormation = new SandboxCloudFormation(options, timeProvider);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(cloudFormation);
        var app = builder.Build();
        app.MapSandboxCloudFormation("/");
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            cloudFormation.Dispose();
            throw;
        }
        var url = new Uri(app.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        var server = new SandboxServer(app, url, cloudFormation);
        cloudFormation.SqsUrl = server.SqsUrl.ToString();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        CloudFormation.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
