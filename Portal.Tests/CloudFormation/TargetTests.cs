using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Infra;
using Portal.Infra.CloudFormation;
using Portal.Infra.Targets;
using static Portal.Tests.CloudFormation.DocumentedExamples;

namespace Portal.Tests.CloudFormation;

/// <summary>Targets from configuration, validated at start-up, each with its endpoint and signed credentials.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class TargetTests
{
    private const string DesignTargets = """
        { "Targets": {
            "sandbox": { "Kind": "Sandbox", "Region": "us-east-1", "RequiredApprovals": 1 },
            "prod":    { "Kind": "Aws", "Region": "eu-west-1", "RoleArn": "arn:aws:iam::123456789012:role/portal-deployer",
                         "CloudFormationRoleArn": "arn:aws:iam::123456789012:role/cfn-exec", "ServiceUrl": null,
                         "RequiredApprovals": 2 } } }
        """;

    private static readonly Regex Authorization = new(
        @"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/cloudformation/aws4_request, SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=[0-9a-f]{64}$");

    private static IConfiguration Configuration(string json, string? environmentPrefix = null)
    {
        var builder = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        if (environmentPrefix is not null)
            builder.AddEnvironmentVariables(environmentPrefix);
        return builder.Build();
    }

    private static TargetOptions Targets(IConfiguration configuration) =>
        new ServiceCollection().AddPortalInfra(configuration).BuildServiceProvider().GetRequiredService<IOptions<TargetOptions>>().Value;

    [Fact]
    public void TargetsBindFromConfigurationAsTheDesignShows()
    {
        var targets = Targets(Configuration(DesignTargets));

        var sandbox = targets.Get("Sandbox");
        Assert.Equal(TargetKind.Sandbox, sandbox.Kind);
        Assert.True(sandbox.IsSimulated);
        Assert.Equal(1, sandbox.RequiredApprovals);
        var prod = targets.Get("prod");
        Assert.Equal(TargetKind.Aws, prod.Kind);
        Assert.False(prod.IsSimulated);
        Assert.Equal("eu-west-1", prod.Region);
        Assert.Equal("arn:aws:iam::123456789012:role/portal-deployer", prod.RoleArn);
        Assert.Equal("arn:aws:iam::123456789012:role/cfn-exec", prod.CloudFormationRoleArn);
        Assert.True(string.IsNullOrEmpty(prod.ServiceUrl));
        Assert.Equal(2, prod.RequiredApprovals);
    }

    [Fact]
    public void EnvironmentVariablesOverrideAndAddTargetsAsDotnetConfigurationDoes()
    {
        var prefix = $"PORTALTEST{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            [$"{prefix}Targets__sandbox__Kind"] = "Aws",
            [$"{prefix}Targets__sandbox__ServiceUrl"] = "http://127.0.0.1:4566",
            [$"{prefix}Targets__dev__Kind"] = "Aws",
            [$"{prefix}Targets__dev__Region"] = "eu-central-1",
        };
        try
        {
            foreach (var (name, value) in variables)
                Environment.SetEnvironmentVariable(name, value);

            var targets = Targets(Configuration(DesignTargets, prefix));

            Assert.Equal(TargetKind.Aws, targets.Get("sandbox").Kind);
            Assert.Equal("http://127.0.0.1:4566", targets.Get("sandbox").ServiceUrl);
            Assert.Equal("us-east-1", targets.Get("sandbox").Region);
            Assert.Equal(TargetKind.Aws, targets.Get("dev").Kind);
            Assert.Equal("eu-central-1", targets.Get("dev").Region);
            Assert.Equal(3, targets.Count);
        }
        finally
        {
            foreach (var name in variables.Keys)
                Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task BadTargetsStopTheHostAtStartUpWithEveryFieldNamed()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPortalInfra(Configuration("""
            { "Targets": {
                "prod":  { "Kind": "Aws", "RoleArn": "portal-deployer", "ServiceUrl": "localhost:4566", "RequiredApprovals": 0,
                           "CallsPerSecond": 0, "CallBurst": 0, "StackEventQueueUrl": "sqs/PortalStackEventIntake-Queue" },
                "demo":  { "Region": "Frankfurt" },
                "sandbox": { "Kind": "Sandbox", "RoleArn": "arn:aws:iam::123456789012:role/x", "CloudFormationRoleArn": "cfn" } } }
            """));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
        [
            "Targets:demo:Kind is required: Sandbox or Aws.",
            "Targets:demo:Region 'Frankfurt' is not an AWS region name (e.g. eu-west-1).",
            "Targets:prod:Region is required for an Aws target (e.g. eu-west-1).",
            "Targets:prod:RoleArn 'portal-deployer' is not an IAM role ARN (arn:aws:iam::123456789012:role/name).",
            "Targets:prod:ServiceUrl 'localhost:4566' is not an absolute http(s) URL.",
            "Targets:prod:CallsPerSecond must be above 0 and at most 100000 (got 0).",
            "Targets:prod:CallBurst must be between 1 and 1000 (got 0).",
            "Targets:prod:StackEventQueueUrl 'sqs/PortalStackEventIntake-Queue' is not an absolute http(s) URL.",
            "Targets:prod:RequiredApprovals must be between 1 and 10 (got 0).",
            "Targets:sandbox:RoleArn is not used by a Sandbox target (it signs with dummy credentials); remove it.",
            "Targets:sandbox:CloudFormationRoleArn 'cfn' is not an IAM role ARN (arn:aws:iam::123456789012:role/name).",
        ], error.Failures);
    }

    [Theory]
    [InlineData("http://cloudformation.eu-west-1.amazonaws.com/")]
    [InlineData("http://localstack.internal:4566")]
    [InlineData("http://10.0.0.5:4566")]
    [InlineData("http://127.0.0.1.nip.io:4566")]
    public void AnAwsTargetRefusesAPlainHttpEndpointOffThisMachine(string serviceUrl)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Targets(Configuration(
            $$"""{ "Targets": { "prod": { "Kind": "Aws", "Region": "eu-west-1", "ServiceUrl": "{{serviceUrl}}" } } }""")));

        Assert.Equal(
            $"Targets:prod:ServiceUrl '{serviceUrl}' is plain http: an Aws target's calls carry signatures and session " +
            "tokens, so use https (http only for an emulator on this machine: localhost, 127.0.0.1 or [::1]).",
            Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData("Aws", "https://cloudformation.eu-west-1.amazonaws.com/")]
    [InlineData("Aws", "http://127.0.0.1:4566")]
    [InlineData("Aws", "http://localhost:4566/")]
    [InlineData("Aws", "http://[::1]:4566")]
    [InlineData("Sandbox", "http://sandbox.internal:5000/sandbox/cloudformation")]
    public void AnHttpsALoopbackOrASandboxEndpointIsAccepted(string kind, string serviceUrl)
    {
        var targets = Targets(Configuration(
            $$"""{ "Targets": { "dev": { "Kind": "{{kind}}", "Region": "eu-west-1", "ServiceUrl": "{{serviceUrl}}" } } }"""));

        Assert.Equal(serviceUrl, targets.Get("dev").ServiceUrl);
    }

    [Fact]
    public void AValueOfTheWrongTypeIsNamedByItsPathInsteadOfDroppingTheTarget()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Targets(Configuration("""
            { "Targets": { "prod": { "Kind": "Azure", "Region": "eu-west-1" }, "dev": { "Kind": "Aws", "Region": "eu-west-1", "RequiredApprovals": "two" } } }
            """)));

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("'Azure' at 'Targets:prod:Kind'"));
        Assert.Contains(error.Failures, f => f.Contains("'two' at 'Targets:dev:RequiredApprovals'"));
    }

    [Fact]
    public void AnUnknownTargetIsRefusedWithTheConfiguredOnesListed()
    {
        using var factory = Factory(DesignTargets, new ScriptedHttp());

        var error = Assert.Throws<ArgumentException>(() => factory.For("staging"));

        Assert.Contains("Unknown target 'staging'. Configured targets: prod, sandbox", error.Message);
    }

    [Theory]
    [InlineData("eu-west-1", "https://cloudformation.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://cloudformation.cn-north-1.amazonaws.com.cn/")]
    public async Task AnAwsTargetCallsItsRegionalEndpointSignedForItsRegionWithTheDefaultChain(string region, string endpoint)
    {
        var http = new ScriptedHttp().Reply(DescribeStacksXml);
        using var factory = Factory($$"""{ "Targets": { "dev": { "Kind": "Aws", "Region": "{{region}}" } } }""", http);

        await factory.For("DEV").DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });

        var sent = http.Sent.Single();
        Assert.Equal(new Uri(endpoint), sent.Uri);
        var authorization = Authorization.Match(sent.Headers["Authorization"]);
        Assert.True(authorization.Success, sent.Headers["Authorization"]);
        Assert.Equal(TestEnvironment.AccessKeyId, authorization.Groups["key"].Value);
        Assert.Equal(region, authorization.Groups["region"].Value);
        Assert.Equal(authorization.Groups["date"].Value, sent.Headers["X-Amz-Date"][..8]);
        Assert.Contains("host", authorization.Groups["headers"].Value.Split(';'));
        Assert.Contains("x-amz-date", authorization.Groups["headers"].Value.Split(';'));
    }

    [Fact]
    public async Task AnAwsTargetWithAServiceUrlCallsThatUrl()
    {
        var http = new ScriptedHttp().Reply(DescribeStacksXml);
        using var factory = Factory("""{ "Targets": { "local": { "Kind": "Aws", "Region": "us-west-2", "ServiceUrl": "http://127.0.0.1:4566/cfn" } } }""", http);

        await factory.For("local").DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });

        Assert.Equal(new Uri("http://127.0.0.1:4566/cfn"), http.Sent.Single().Uri);
        Assert.Equal("us-west-2", Authorization.Match(http.Sent.Single().Headers["Authorization"]).Groups["region"].Value);
    }

    [Fact]
    public async Task ASandboxTargetCallsTheRunningSandboxSignedWithTheConfiguredSandboxCredentials()
    {
        var http = new ScriptedHttp().Reply(DescribeStacksXml);
        var sandbox = new SandboxAddress();
        using var factory = Factory("""{ "Targets": { "sandbox": { "Kind": "Sandbox" } }, "Sandbox": { "AccessKeyId": "AKIDCONFIGUREDSANDBOX" } }""", http, sandbox);

        var notRunning = Assert.Throws<InvalidOperationException>(() => factory.For("sandbox"));
        Assert.Contains("Targets:sandbox:ServiceUrl", notRunning.Message);

        sandbox.ServiceUrl = new Uri("http://127.0.0.1:5123/sandbox/cloudformation");
        await factory.For("sandbox").DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });

        var sent = http.Sent.Single();
        Assert.Equal(sandbox.ServiceUrl, sent.Uri);
        var authorization = Authorization.Match(sent.Headers["Authorization"]);
        Assert.Equal("AKIDCONFIGUREDSANDBOX", authorization.Groups["key"].Value);
        Assert.Equal(Portal.Infra.Targets.Target.DefaultSandboxRegion, authorization.Groups["region"].Value);
    }

    [Fact]
    public async Task ATargetRoleArnIsAssumedAndItsSessionSignsTheCalls()
    {
        var http = new ScriptedHttp().Reply(DescribeStacksXml);
        var sts = new FakeSts(TimeSpan.FromHours(1));
        using var factory = Factory(DesignTargets, http, sts: sts);

        var prod = factory.For("prod");
        await prod.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });
        await prod.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });

        Assert.Equal([("arn:aws:iam::123456789012:role/portal-deployer", "portal-prod")], sts.Calls);
        Assert.Equal("eu-west-1", sts.Region!.SystemName);
        Assert.All(http.Sent, sent =>
        {
            Assert.Equal("ASIAFAKE1", Authorization.Match(sent.Headers["Authorization"]).Groups["key"].Value);
            Assert.Equal("session-token-1", sent.Headers["X-Amz-Security-Token"]);
        });
    }

    [Fact]
    public async Task AnAssumedRoleSessionIsRenewedBeforeItExpires()
    {
        var http = new ScriptedHttp().Reply(DescribeStacksXml);
        // Still valid, but inside the refresh window: a new session is asked for while this one still signs.
        var sts = new FakeSts(AssumedRoleCredentials.RefreshWindow - TimeSpan.FromMinutes(5));
        using var factory = Factory(DesignTargets, http, sts: sts);
        var prod = factory.For("prod");

        await prod.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });
        await prod.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
            await prod.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });
        while (KeyOf(http.Sent[^1]) == "ASIAFAKE1" && DateTime.UtcNow < deadline);

        Assert.Equal(["ASIAFAKE1", "ASIAFAKE1"], http.Sent.Take(2).Select(KeyOf));
        Assert.Equal("ASIAFAKE2", KeyOf(http.Sent[^1]));
    }

    private static string KeyOf(SentRequest sent) => Authorization.Match(sent.Headers["Authorization"]).Groups["key"].Value;

    [Fact]
    public void AddPortalInfraBuildsAFactoryFromConfiguration()
    {
        using var services = new ServiceCollection().AddPortalInfra(Configuration(DesignTargets)).BuildServiceProvider();

        var client = services.GetRequiredService<ICloudFormationFactory>().For("prod");

        Assert.Equal(new Uri("https://cloudformation.eu-west-1.amazonaws.com/"), Assert.IsType<CloudFormationClient>(client).Endpoint);
        Assert.Same(services.GetRequiredService<SandboxAddress>(), services.GetRequiredService<ISandboxAddress>());
        Assert.NotNull(services.GetRequiredService<Portal.Infra.Deployments.StackEventWatcher>());
    }

    private static CloudFormationFactory Factory(string json, ScriptedHttp http, ISandboxAddress? sandbox = null, FakeSts? sts = null)
    {
        var configuration = Configuration(json);
        var services = new ServiceCollection().AddPortalInfra(configuration).BuildServiceProvider();
        return new(Targets(configuration), new CloudFormationClientOptions { BaseDelay = TimeSpan.Zero }, sandbox ?? new SandboxAddress(),
            services.GetRequiredService<IOptions<SandboxCredentials>>().Value, TimeProvider.System, () => http, sts is null ? null : sts.Create);
    }
}
