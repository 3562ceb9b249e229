using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infra;
using Portal.Infra.Aws;
using Portal.Infra.CloudFormation;
using Portal.Infra.CloudWatchLogs;
using Portal.Infra.Ecs;
using Portal.Infra.ElasticLoadBalancingV2;
using Portal.Infra.Targets;
using Portal.Tests.CloudFormation;
using static Portal.Tests.Diagnostics.DiagnosticsExamples;

namespace Portal.Tests.Diagnostics;

/// <summary>
/// A target's diagnosis clients are built beside its CloudFormation client, on the same credentials (one assumed-role
/// session), each at its service's endpoint and signed for its service's name.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class DiagnosticsTargetTests
{
    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static CloudFormationFactory Factory(string json, WireRecorder wire, ISandboxAddress? sandbox = null, FakeSts? sts = null)
    {
        using var services = new ServiceCollection().AddPortalInfra(Configuration(json)).BuildServiceProvider();
        return new(services.GetRequiredService<IOptions<TargetOptions>>().Value, new CloudFormationClientOptions { BaseDelay = TimeSpan.Zero },
            sandbox ?? new SandboxAddress(), services.GetRequiredService<IOptions<SandboxCredentials>>().Value, TimeProvider.System,
            () => wire, sts is null ? null : sts.Create);
    }

    /// <summary>One call to each diagnosis service, answered by the reference's examples in this order.</summary>
    private static async Task CallEachServiceAsync(DiagnosticsClients clients)
    {
        await clients.Ecs.DescribeServicesAsync(new DescribeServicesRequest { Services = ["ecs-simple-service"] });
        await clients.ElasticLoadBalancing.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = TargetGroupArn });
        await clients.Logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = "my-logs", LogStreamName = "20150601" });
    }

    private static WireRecorder AnswersForEachService() =>
        new(new ScriptedHttp().ReplyJson(DescribeServicesJson).Reply(DescribeTargetHealthXml).ReplyJson(GetLogEventsJson));

    private static (string Key, string Region, string Service) ScopeOf(SentRequest sent)
    {
        var scope = WireRecorder.Scope(sent);
        Assert.True(scope.Success, sent.Headers["Authorization"]);
        return (scope.Groups["key"].Value, scope.Groups["region"].Value, scope.Groups["service"].Value);
    }

    [Theory]
    [InlineData("eu-west-1", "amazonaws.com")]
    [InlineData("cn-north-1", "amazonaws.com.cn")]
    public async Task AnAwsTargetReachesEachServiceAtItsRegionalEndpointSignedForThatService(string region, string suffix)
    {
        var wire = AnswersForEachService();
        using var factory = Factory($$"""{ "Targets": { "dev": { "Kind": "Aws", "Region": "{{region}}" } } }""", wire);

        await CallEachServiceAsync(((IDiagnosticsClientFactory)factory).For("DEV"));

        Assert.Equal(
            [new Uri($"https://ecs.{region}.{suffix}/"), new Uri($"https://elasticloadbalancing.{region}.{suffix}/"), new Uri($"https://logs.{region}.{suffix}/")],
            wire.Sent.Select(s => s.Uri));
        Assert.Equal(
            [(TestEnvironment.AccessKeyId, region, "ecs"), (TestEnvironment.AccessKeyId, region, "elasticloadbalancing"), (TestEnvironment.AccessKeyId, region, "logs")],
            wire.Sent.Select(ScopeOf));
    }

    [Fact]
    public async Task CloudFormationAndDiagnosisOfATargetShareOneAssumedRoleSession()
    {
        var wire = new WireRecorder(new ScriptedHttp()
            .Reply(CloudFormation.DocumentedExamples.DescribeStacksXml)
            .ReplyJson(DescribeServicesJson).Reply(DescribeTargetHealthXml).ReplyJson(GetLogEventsJson));
        var sts = new FakeSts(TimeSpan.FromHours(1));
        using var factory = Factory("""
            { "Targets": { "prod": { "Kind": "Aws", "Region": "eu-west-1", "RoleArn": "arn:aws:iam::123456789012:role/portal-deployer" } } }
            """, wire, sts: sts);

        await factory.For("prod").DescribeStacksAsync(new DescribeStacksRequest { StackName = "portal-orders-dev" });
        var diagnostics = ((IDiagnosticsClientFactory)factory).For("prod");
        await CallEachServiceAsync(diagnostics);

        Assert.Same(diagnostics, ((IDiagnosticsClientFactory)factory).For("PROD"));
        Assert.Equal([("arn:aws:iam::123456789012:role/portal-deployer", "portal-prod")], sts.Calls);
        Assert.Equal(4, wire.Sent.Count);
        Assert.All(wire.Sent, sent =>
        {
            Assert.Equal("ASIAFAKE1", ScopeOf(sent).Key);
            Assert.Equal("session-token-1", sent.Headers["X-Amz-Security-Token"]);
        });
    }

    [Fact]
    public async Task ASandboxTargetReachesEachServiceBesideTheRunningSandboxsCloudFormationEndpoint()
    {
        var wire = AnswersForEachService();
        var sandbox = new SandboxAddress();
        using var factory = Factory("""{ "Targets": { "sandbox": { "Kind": "Sandbox" } }, "Sandbox": { "AccessKeyId": "AKIDCONFIGUREDSANDBOX" } }""", wire, sandbox);

        var notRunning = Assert.Throws<InvalidOperationException>(() => ((IDiagnosticsClientFactory)factory).For("sandbox"));
        Assert.Contains("Targets:sandbox:ServiceUrl", notRunning.Message);

        sandbox.ServiceUrl = new Uri("http://127.0.0.1:5123/sandbox/cloudformation");
        await CallEachServiceAsync(((IDiagnosticsClientFactory)factory).For("sandbox"));

        Assert.Equal(
            ["http://127.0.0.1:5123/sandbox/ecs", "http://127.0.0.1:5123/sandbox/elasticloadbalancing", "http://127.0.0.1:5123/sandbox/logs"],
            wire.Sent.Select(s => s.Uri.ToString()));
        Assert.Equal(
            [("AKIDCONFIGUREDSANDBOX", Target.DefaultSandboxRegion, "ecs"), ("AKIDCONFIGUREDSANDBOX", Target.DefaultSandboxRegion, "elasticloadbalancing"),
             ("AKIDCONFIGUREDSANDBOX", Target.DefaultSandboxRegion, "logs")],
            wire.Sent.Select(ScopeOf));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5123/sandbox/cloudformation", "logs", "http://127.0.0.1:5123/sandbox/logs")]
    [InlineData("http://127.0.0.1:5123/sandbox/cloudformation/", "ecs", "http://127.0.0.1:5123/sandbox/ecs")]
    [InlineData("http://127.0.0.1:41234/", "elasticloadbalancing", "http://127.0.0.1:41234/elasticloadbalancing")]
    public void TheSandboxServesEachServiceOnThePathBesideCloudFormationUnlessToldOtherwise(string cloudFormation, string service, string expected)
    {
        var sandbox = new SandboxAddress { ServiceUrl = new Uri(cloudFormation) };

        Assert.Equal(new Uri(expected), sandbox.UrlOf(service));
        Assert.Null(new SandboxAddress().UrlOf(service));

        sandbox.SetUrl(service, new Uri("http://127.0.0.1:41235/elsewhere"));
        Assert.Equal(new Uri("http://127.0.0.1:41235/elsewhere"), sandbox.UrlOf(service.ToUpperInvariant()));
    }

    [Fact]
    public async Task ServiceUrlsOverrideSingleServicesAndAnEmulatorAnswersTheRestAtItsServiceUrl()
    {
        var wire = AnswersForEachService();
        using var factory = Factory("""
            { "Targets": {
                "local": { "Kind": "Aws", "Region": "us-west-2", "ServiceUrl": "http://127.0.0.1:4566",
                           "ServiceUrls": { "Logs": "http://127.0.0.1:4599/logs" } } } }
            """, wire);

        await CallEachServiceAsync(((IDiagnosticsClientFactory)factory).For("local"));

        Assert.Equal(["http://127.0.0.1:4566/", "http://127.0.0.1:4566/", "http://127.0.0.1:4599/logs"], wire.Sent.Select(s => s.Uri.ToString()));
        Assert.Equal(["ecs", "elasticloadbalancing", "logs"], wire.Sent.Select(s => ScopeOf(s).Service));
    }

    [Fact]
    public async Task ASandboxTargetWithItsOwnServiceUrlReachesThePathsBesideIt()
    {
        var wire = AnswersForEachService();
        using var factory = Factory("""
            { "Targets": { "shared": { "Kind": "Sandbox", "ServiceUrl": "https://sandbox.example.com/sandbox/cloudformation",
                                       "ServiceUrls": { "ecs": "https://ecs.sandbox.example.com/" } } } }
            """, wire);

        await CallEachServiceAsync(((IDiagnosticsClientFactory)factory).For("shared"));

        Assert.Equal(
            ["https://ecs.sandbox.example.com/", "https://sandbox.example.com/sandbox/elasticloadbalancing", "https://sandbox.example.com/sandbox/logs"],
            wire.Sent.Select(s => s.Uri.ToString()));
    }

    [Fact]
    public void BadServiceUrlsAreRefusedWithEachEntryNamed()
    {
        using var services = new ServiceCollection().AddPortalInfra(Configuration("""
            { "Targets": {
                "prod": { "Kind": "Aws", "Region": "eu-west-1",
                          "ServiceUrls": { "cloudformation": "https://cfn.example.com", "ecs": "ecs.example.com", "logs": "http://logs.example.com" } },
                "sandbox": { "Kind": "Sandbox", "ServiceUrls": { "logs": "http://192.0.2.10:8080/sandbox/logs", "s3": "http://127.0.0.1:9000" } } } }
            """)).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TargetOptions>>().Value);

        Assert.Equal(
        [
            "Targets:prod:ServiceUrls:cloudformation names no service the portal calls besides CloudFormation (ecs, elasticloadbalancing, logs); CloudFormation's is Targets:prod:ServiceUrl.",
            "Targets:prod:ServiceUrls:ecs 'ecs.example.com' is not an absolute http(s) URL.",
            "Targets:prod:ServiceUrls:logs 'http://logs.example.com' is plain http: an Aws target's calls carry signatures and session tokens, so use https (http only for an emulator on this machine: localhost, 127.0.0.1 or [::1]).",
            "Targets:sandbox:ServiceUrls:s3 names no service the portal calls besides CloudFormation (ecs, elasticloadbalancing, logs); CloudFormation's is Targets:sandbox:ServiceUrl.",
        ], error.Failures);
    }

    [Fact]
    public void AddPortalInfraServesCloudFormationAndDiagnosisFromOneFactory()
    {
        using var services = new ServiceCollection().AddPortalInfra(Configuration("""{ "Targets": { "prod": { "Kind": "Aws", "Region": "eu-west-1" } } }"""))
            .BuildServiceProvider();

        var diagnostics = services.GetRequiredService<IDiagnosticsClientFactory>();

        Assert.Same(services.GetRequiredService<ICloudFormationFactory>(), diagnostics);
        var clients = diagnostics.For("prod");
        Assert.Equal(new Uri("https://ecs.eu-west-1.amazonaws.com/"), Assert.IsType<EcsClient>(clients.Ecs).Endpoint);
        Assert.Equal(new Uri("https://elasticloadbalancing.eu-west-1.amazonaws.com/"), Assert.IsType<ElasticLoadBalancingV2Client>(clients.ElasticLoadBalancing).Endpoint);
        Assert.Equal(new Uri("https://logs.eu-west-1.amazonaws.com/"), Assert.IsType<CloudWatchLogsClient>(clients.Logs).Endpoint);
        Assert.Throws<ArgumentException>(() => diagnostics.For("staging"));
    }
}
