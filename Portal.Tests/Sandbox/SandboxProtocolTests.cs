using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxProtocolTests
{
    private static readonly XNamespace Ns = SandboxApi.Ns;

    private const string WellFormedAuthorization = SandboxSigning.UnsignedAuthorization;

    public static TheoryData<string?, string> BadAuthorizations => new()
    {
        { null, "MissingAuthenticationToken" },
        { "Bearer abc", "IncompleteSignature" },
        { "AWS4-HMAC-SHA256 Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IncompleteSignature" },
        { WellFormedAuthorization.Replace("/cloudformation/", "/s3/", StringComparison.Ordinal), "SignatureDoesNotMatch" },
        { WellFormedAuthorization.Replace("Signature=0123", "Signature=XYZ", StringComparison.Ordinal), "IncompleteSignature" },
    };

    [Theory]
    [MemberData(nameof(BadAuthorizations))]
    public async Task RequestsWithoutAWellFormedSigV4AuthorizationAreForbidden(string? authorization, string expectedCode)
    {
        await using var host = await SandboxTestHost.StartAsync();

        var (status, body) = await host.Api.SendAsync("DescribeStacks", [], SandboxApi.WithAuthorization(authorization));

        var error = SandboxApi.ParseError(status, body);
        Assert.Equal((HttpStatusCode.Forbidden, "Sender", expectedCode), (error.Status, error.Type, error.Code));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.True(Guid.TryParse(error.RequestId, out _));
    }

    [Fact]
    public async Task ThrottleRateOfOneAnswersEveryCallWithTheThrottlingError()
    {
        await using var host = await SandboxTestHost.StartAsync(o => o.ThrottleRate = 1.0);

        var throttled = await host.Api.ErrorAsync("DescribeStacks");
        host.Server.CloudFormation.ThrottleRate = 0;
        var answered = await host.Api.CallAsync("DescribeStacks");

        Assert.Equal(new QueryError(HttpStatusCode.BadRequest, "Sender", "Throttling", "Rate exceeded", throttled.RequestId), throttled);
        Assert.NotNull(answered);
        Assert.Equal(2, host.Server.CloudFormation.CallCount("DescribeStacks"));
        Assert.Equal(1, host.Server.CloudFormation.ThrottledCount("DescribeStacks"));
    }

    public static TheoryData<string, string> InvalidTemplates => new()
    {
        { """{ "Resources": { "A": """, "Template format error: JSON not well-formed. (line 1, column 23)" },
        { """{ "Resources": { "A": { "Type": "AWS::SNS::Topic" }, "A": { "Type": "AWS::SNS::Topic" } } }""",
          "Template format error: JSON not well-formed. (Duplicate property 'A' encountered during deserialization.)" },
        { """{ "Resources": {} }""", "Template format error: At least one Resources member must be defined." },
        { """{ "Description": "no resources" }""", "Template format error: At least one Resources member must be defined." },
        { """{ "Resources": { "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "VpcId": { "Ref": "Vpc" } } } } }""",
          "Template format error: Unresolved resource dependencies [Vpc] in the Resources block of the template" },
        { """{ "Resources": { "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "VpcId": { "Fn::GetAtt": [ "Vpc", "VpcId" ] } } } } }""",
          "Template error: instance of Fn::GetAtt references undefined resource Vpc" },
        { """{ "Resources": { "Sg": { "Type": "AWS::EC2::SecurityGroup", "DependsOn": "Vpc" } } }""",
          "Template format error: Unresolved resource dependencies [Vpc] in the Resources block of the template" },
        { """{ "Resources": { "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupName": { "Fn::Sub": "${Prefix}-sg" } } } } }""",
          "Template format error: Unresolved resource dependencies [Prefix] in the Resources block of the template" },
        { """{ "Resources": { "A": { "Type": "AWS::SNS::Topic", "DependsOn": "B" }, "B": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": { "Fn::GetAtt": [ "A", "TopicName" ] } } } } }""",
          "Circular dependency between resources: [A, B]" },
        { """{ "Resources": { "A": { "Type": "AWS::SNS::Topic" } }, "Outputs": { "Url": { "Value": { "Ref": "Alb" } } } }""",
          "Template format error: Unresolved resource dependencies [Alb] in the Outputs block of the template" },
        { """{ "Resources": { "A": { "Properties": {} } } }""", "Template format error: [/Resources/A] Every Resources object must contain a Type member." },
        { $$"""{ "Description": "{{new string('x', 51_200)}}", "Resources": { "A": { "Type": "AWS::SNS::Topic" } } }""",
          "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200" },
        // 1,024 bytes at most: 513 two-byte characters are over.
        { $$"""{ "Description": "{{new string('é', 513)}}", "Resources": { "A": { "Type": "AWS::SNS::Topic" } } }""",
          "Template format error: 'Description' length is greater than 1024." },
    };

    [Theory]
    [MemberData(nameof(InvalidTemplates))]
    public async Task TemplatesCloudFormationWouldRefuseAreValidationErrorsAndCreateNothing(string template, string expectedMessage)
    {
        await using var host = await SandboxTestHost.StartAsync();

        var error = await host.Api.ErrorAsync("CreateChangeSet", ("StackName", "bad-template"), ("ChangeSetName", "plan"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", template));

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError", expectedMessage), (error.Status, error.Code, error.Message));
        var lookup = await host.Api.ErrorAsync("DescribeStacks", ("StackName", "bad-template"));
        Assert.Equal("Stack with id bad-template does not exist", lookup.Message);
    }

    [Fact]
    public async Task TemplateWithIAMResourcesNeedsTheIAMCapability()
    {
        await using var host = await SandboxTestHost.StartAsync();

        var error = await host.Api.ErrorAsync("CreateChangeSet", ("StackName", "orders-dev"), ("ChangeSetName", "plan"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", TwoTierTemplate.Json()));

        Assert.Equal((HttpStatusCode.BadRequest, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"),
            (error.Status, error.Code, error.Message));
    }

    [Fact]
    public async Task MissingParametersAndUnknownActionsAreNamedInTheError()
    {
        await using var host = await SandboxTestHost.StartAsync();

        var missing = await host.Api.ErrorAsync("DescribeStackEvents");
        var unknown = await host.Api.ErrorAsync("CreateStackPlease");

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError", "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null"),
            (missing.Status, missing.Code, missing.Message));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidAction", "Could not find operation CreateStackPlease for version 2010-05-15"),
            (unknown.Status, unknown.Code, unknown.Message));
    }

    [Fact]
    public async Task StackEventsPageNewestFirstAndATokenStaysValidWhileEventsArrive()
    {
        await using var host = await SandboxTestHost.StartAsync(o => o.EventsPageSize = 10);
        var stackId = (await host.DeployAsync("orders-dev", TwoTierTemplate.Json())).Id;
        var firstPage = await host.Api.CallAsync("DescribeStackEvents", ("StackName", stackId));
        var firstEvents = firstPage!.Element(Ns + "StackEvents")!.Elements(Ns + "member").Select(StackEventRow.From).ToList();
        var token = firstPage.Element(Ns + "NextToken")!.Value;

        await host.Api.CallAsync("DeleteStack", ("StackName", "orders-dev"));
        await host.Api.WaitForStackAsync(stackId);
        var rest = new List<StackEventRow>();
        while (token is not null)
        {
            var page = await host.Api.CallAsync("DescribeStackEvents", ("StackName", stackId), ("NextToken", token));
            rest.AddRange(page!.Element(Ns + "StackEvents")!.Elements(Ns + "member").Select(StackEventRow.From));
            token = page.Element(Ns + "NextToken")?.Value;
        }
        var all = await host.Api.AllEventsAsync(stackId);

        Assert.Equal(10, firstEvents.Count);
        Assert.Equal("CREATE_COMPLETE", firstEvents[0].ResourceStatus);
        var created = firstEvents.Concat(rest).Select(e => e.EventId).ToList();
        Assert.Equal(all.SkipWhile(e => e.EventId != firstEvents[0].EventId).Select(e => e.EventId), created);
        Assert.Equal(all.Count, all.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(all.Select(e => e.Timestamp).OrderDescending(), all.Select(e => e.Timestamp));
        Assert.Equal("REVIEW_IN_PROGRESS", all[^1].ResourceStatus);
    }

    [Fact]
    public async Task DescribingAMissingStackIsAValidationError()
    {
        await using var host = await SandboxTestHost.StartAsync();

        var stacks = await host.Api.ErrorAsync("DescribeStacks", ("StackName", "nope"));
        var events = await host.Api.ErrorAsync("DescribeStackEvents", ("StackName", "nope"));

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError", "Stack with id nope does not exist"), (stacks.Status, stacks.Code, stacks.Message));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError", "Stack [nope] does not exist"), (events.Status, events.Code, events.Message));
    }

    [Fact]
    public async Task PausedEndpointHoldsRequestsUntilResumed()
    {
        await using var host = await SandboxTestHost.StartAsync();
        host.Server.CloudFormation.Pause();

        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Api.SendAsync("DescribeStacks", [], cancellationToken: shortWait.Token));
        var held = host.Api.SendAsync("DescribeStacks", []);
        Assert.True(host.Server.CloudFormation.IsPaused);
        host.Server.CloudFormation.Resume();
        var (status, _) = await held.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task WebHostMapsTheEndpointWithOptionsFromConfiguration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Region"] = "eu-west-1",
            ["Sandbox:AccountId"] = "210987654321",
            ["Sandbox:TimeScale"] = "0.001",
        });
        builder.Services.AddSandboxCloudFormation(builder.Configuration);
        await using var app = builder.Build();
        app.MapSandboxCloudFormation();
        await app.StartAsync();
        using var api = new SandboxApi(new Uri(new Uri(app.Urls.Single()), "/sandbox/cloudformation"));

        var (status, body) = await api.SendAsync("CreateChangeSet", [("StackName", "web-hosted"), ("ChangeSetName", "plan"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", """{ "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } } }""")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("arn:aws:cloudformation:eu-west-1:210987654321:stack/web-hosted/", body.Descendants(Ns + "StackId").Single().Value);
        await app.StopAsync();
    }

    [Fact]
    public void InvalidOptionsAreRefusedNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new SandboxCloudFormation(new SandboxOptions { ThrottleRate = 1.5 }));

        Assert.Contains("Sandbox:ThrottleRate", error.Message);
        Assert.Contains("Sandbox:AccountId", Assert.Throws<ArgumentException>(() => new SandboxCloudFormation(new SandboxOptions { AccountId = "12" })).Message);
    }
}
