using System.Net;
using Amazon.Runtime;
using Portal.Infra.CloudFormation;
using static Portal.Tests.CloudFormation.DocumentedExamples;

namespace Portal.Tests.CloudFormation;

/// <summary>Each operation against the API Reference's documented example: exact form sent, every field read.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class QueryProtocolTests
{
    private static readonly Uri Endpoint = new("https://cloudformation.us-east-1.amazonaws.com/");

    internal static CloudFormationClient Client(ScriptedHttp http, int maxAttempts = 5) =>
        CloudFormationClient.Create(Endpoint, new BasicAWSCredentials("AKIDTESTPORTAL", "test"), "us-east-1",
            new CloudFormationClientOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
            transport: http);

    private static Dictionary<string, string> Form(string action, params (string Key, string Value)[] fields) =>
        new[] { ("Action", action), ("Version", "2010-05-15") }.Concat(fields).ToDictionary(f => f.Item1, f => f.Item2);

    [Fact]
    public async Task CreateChangeSetPostsEveryFieldWithMemberListEncodingAndReadsTheChangeSetId()
    {
        var http = new ScriptedHttp().Reply(CreateChangeSetXml);
        using var client = Client(http);

        var response = await client.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = "portal-orders-dev",
            ChangeSetName = "rev-3",
            ChangeSetType = ChangeSetType.Update,
            TemplateBody = """{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC"}}}""",
            Capabilities = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
            RoleARN = "arn:aws:iam::123456789012:role/cfn-exec",
            Tags = [new Tag { Key = "portal:environment", Value = "orders-dev" }, new Tag { Key = "owner", Value = "a b&c" }],
            ClientToken = "plan-rev-3",
            Description = "Revision 3 of orders-dev",
        });

        var sent = Assert.Single(http.Sent);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(Endpoint, sent.Uri);
        Assert.StartsWith("application/x-www-form-urlencoded", sent.Headers["Content-Type"]);
        Assert.Equal(Form("CreateChangeSet",
            ("StackName", "portal-orders-dev"),
            ("ChangeSetName", "rev-3"),
            ("ChangeSetType", "UPDATE"),
            ("TemplateBody", """{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC"}}}"""),
            ("Capabilities.member.1", "CAPABILITY_IAM"),
            ("Capabilities.member.2", "CAPABILITY_NAMED_IAM"),
            ("RoleARN", "arn:aws:iam::123456789012:role/cfn-exec"),
            ("Tags.member.1.Key", "portal:environment"),
            ("Tags.member.1.Value", "orders-dev"),
            ("Tags.member.2.Key", "owner"),
            ("Tags.member.2.Value", "a b&c"),
            ("ClientToken", "plan-rev-3"),
            ("Description", "Revision 3 of orders-dev")), sent.Form);
        Assert.Equal(ChangeSetArn, response.Id);
        Assert.Null(response.StackId);
        Assert.Equal(RequestId, response.RequestId);
    }

    [Fact]
    public async Task CreateChangeSetForANewStackSendsCREATEAndLeavesOutWhatIsNotSet()
    {
        var http = new ScriptedHttp().Reply(CreateChangeSetXml);
        using var client = Client(http);

        await client.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = "SampleStack",
            ChangeSetName = "SampleChangeSet",
            ChangeSetType = ChangeSetType.Create,
            TemplateBody = "{}",
        });

        Assert.Equal(Form("CreateChangeSet", ("StackName", "SampleStack"), ("ChangeSetName", "SampleChangeSet"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", "{}")), http.Sent.Single().Form);
    }

    [Fact]
    public async Task DescribeChangeSetReadsEveryFieldOfTheDocumentedExample()
    {
        var http = new ScriptedHttp().Reply(DescribeChangeSetXml);
        using var client = Client(http);

        var response = await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = ChangeSetArn });

        Assert.Equal(Form("DescribeChangeSet", ("ChangeSetName", ChangeSetArn)), http.Sent.Single().Form);
        Assert.Equal("arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b", response.StackId);
        Assert.Equal("CREATE_COMPLETE", response.Status);
        Assert.Equal("arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet-direct/12a3b456-0e10-4ce0-9052-5d484a8c4e5b", response.ChangeSetId);
        Assert.Equal("SampleStack", response.StackName);
        Assert.Equal("SampleChangeSet-direct", response.ChangeSetName);
        Assert.Equal(new DateTime(2016, 3, 17, 23, 35, 25, 813, DateTimeKind.Utc), response.CreationTime);
        Assert.Equal(DateTimeKind.Utc, response.CreationTime!.Value.Kind);
        Assert.Empty(response.Capabilities);
        Assert.Null(response.StatusReason);
        Assert.Null(response.ExecutionStatus);
        Assert.False(response.HasNoChanges);
        Assert.Equal(RequestId, response.RequestId);

        var change = Assert.Single(response.Changes);
        Assert.Equal("Resource", change.Type);
        var resource = change.ResourceChange!;
        Assert.Equal("Modify", resource.Action);
        Assert.Equal("MyEC2Instance", resource.LogicalResourceId);
        Assert.Equal("i-1abc23d4", resource.PhysicalResourceId);
        Assert.Equal("AWS::EC2::Instance", resource.ResourceType);
        Assert.Equal("False", resource.Replacement);
        Assert.Equal(["Tags"], resource.Scope);
        var detail = Assert.Single(resource.Details);
        Assert.Equal("DirectModification", detail.ChangeSource);
        Assert.Equal("Static", detail.Evaluation);
        Assert.Null(detail.CausingEntity);
        Assert.Equal(new ResourceTargetDefinition { Attribute = "Tags", RequiresRecreation = "Never" }, detail.Target);
    }

    [Fact]
    public async Task DescribeChangeSetFollowsNextTokenUntilEveryChangeIsRead()
    {
        static string Page(string logicalId, string? nextToken) => $"""
            <DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeChangeSetResult>
                <ChangeSetName>rev-4</ChangeSetName>
                <StackName>portal-orders-dev</StackName>
                <Status>CREATE_COMPLETE</Status>
                <ExecutionStatus>AVAILABLE</ExecutionStatus>
                <StatusReason>ready</StatusReason>
                <Capabilities><member>CAPABILITY_IAM</member></Capabilities>
                <Changes>
                  <member><Type>Resource</Type><ResourceChange>
                    <Action>Add</Action><LogicalResourceId>{logicalId}</LogicalResourceId>
                    <ResourceType>AWS::EC2::Subnet</ResourceType>
                  </ResourceChange></member>
                </Changes>
                {(nextToken is null ? "" : $"<NextToken>{nextToken}</NextToken>")}
              </DescribeChangeSetResult>
              <ResponseMetadata><RequestId>req-{logicalId}</RequestId></ResponseMetadata>
            </DescribeChangeSetResponse>
            """;
        var http = new ScriptedHttp().Reply(Page("SubnetA", "page-2")).Reply(Page("SubnetB", "page-3")).Reply(Page("SubnetC", null));
        using var client = Client(http);

        var response = await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = "rev-4", StackName = "portal-orders-dev" });

        Assert.Equal(["SubnetA", "SubnetB", "SubnetC"], response.Changes.Select(c => c.ResourceChange!.LogicalResourceId));
        Assert.Equal(
            [Form("DescribeChangeSet", ("ChangeSetName", "rev-4"), ("StackName", "portal-orders-dev")),
             Form("DescribeChangeSet", ("ChangeSetName", "rev-4"), ("StackName", "portal-orders-dev"), ("NextToken", "page-2")),
             Form("DescribeChangeSet", ("ChangeSetName", "rev-4"), ("StackName", "portal-orders-dev"), ("NextToken", "page-3"))],
            http.Sent.Select(s => s.Form));
        Assert.Equal("AVAILABLE", response.ExecutionStatus);
        Assert.Equal("ready", response.StatusReason);
        Assert.Equal(["CAPABILITY_IAM"], response.Capabilities);
        Assert.Equal("req-SubnetA", response.RequestId);
        Assert.Null(response.Changes[0].ResourceChange!.Replacement);
        Assert.Empty(response.Changes[0].ResourceChange!.Scope);
    }

    [Fact]
    public async Task AChangeSetThatChangesNothingIsRecognised()
    {
        var http = new ScriptedHttp().Reply("""
            <DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeChangeSetResult>
                <Status>FAILED</Status>
                <StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason>
                <ExecutionStatus>UNAVAILABLE</ExecutionStatus>
                <Changes/>
              </DescribeChangeSetResult>
            </DescribeChangeSetResponse>
            """);
        using var client = Client(http);

        var response = await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = ChangeSetArn });

        Assert.True(response.HasNoChanges);
        Assert.Empty(response.Changes);
    }

    [Fact]
    public async Task ExecuteChangeSetSendsTheChangeSetAndItsToken()
    {
        var http = new ScriptedHttp().Reply(ExecuteChangeSetXml);
        using var client = Client(http);

        var response = await client.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { ChangeSetName = ChangeSetArn, ClientRequestToken = "deploy-rev-3" });

        Assert.Equal(Form("ExecuteChangeSet", ("ChangeSetName", ChangeSetArn), ("ClientRequestToken", "deploy-rev-3")), http.Sent.Single().Form);
        Assert.Equal("5ccc7dcd-744c-11e5-be70-example", response.RequestId);
    }

    [Fact]
    public async Task DeleteChangeSetSendsTheChangeSet()
    {
        var http = new ScriptedHttp().Reply(DeleteChangeSetXml);
        using var client = Client(http);

        var response = await client.DeleteChangeSetAsync(new DeleteChangeSetRequest { ChangeSetName = "rev-3", StackName = "portal-orders-dev" });

        Assert.Equal(Form("DeleteChangeSet", ("ChangeSetName", "rev-3"), ("StackName", "portal-orders-dev")), http.Sent.Single().Form);
        Assert.Equal("5ccc7dcd-744c-11e5-be70-example", response.RequestId);
    }

    [Fact]
    public async Task DescribeStacksReadsStatusTimesAndOutputsOfTheDocumentedExample()
    {
        var http = new ScriptedHttp().Reply(DescribeStacksXml);
        using var client = Client(http);

        var response = await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" });

        Assert.Equal(Form("DescribeStacks", ("StackName", "MyStack")), http.Sent.Single().Form);
        var stack = Assert.Single(response.Stacks);
        Assert.Equal("MyStack", stack.StackName);
        Assert.Equal("arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83", stack.StackId);
        Assert.Equal(new DateTime(2010, 7, 27, 22, 28, 28, DateTimeKind.Utc), stack.CreationTime);
        Assert.Equal(DateTimeKind.Utc, stack.CreationTime.Kind);
        Assert.Null(stack.LastUpdatedTime);
        Assert.Null(stack.DeletionTime);
        Assert.Equal("CREATE_COMPLETE", stack.StackStatus);
        Assert.Null(stack.StackStatusReason);
        Assert.False(stack.DisableRollback);
        Assert.Equal([new Output { OutputKey = "StartPage", OutputValue = "http://my-load-balancer.amazonaws.com:80/index.html" }], stack.Outputs);
        Assert.Equal(RequestId, response.RequestId);
    }

    [Fact]
    public async Task DescribeStacksReadsTheReasonAndUpdateTimeOfARolledBackUpdate()
    {
        var http = new ScriptedHttp().Reply("""
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult><Stacks><member>
                <StackName>portal-orders-dev</StackName>
                <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/portal-orders-dev/1</StackId>
                <CreationTime>2024-05-01T10:00:00.000Z</CreationTime>
                <LastUpdatedTime>2024-05-02T11:30:15.250Z</LastUpdatedTime>
                <StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>
                <StackStatusReason>The following resource(s) failed to update: [BackendService].</StackStatusReason>
                <DisableRollback>true</DisableRollback>
                <Outputs><member><OutputKey>PublicUrl</OutputKey><OutputValue>http://a.elb.amazonaws.com</OutputValue><Description>site</Description><ExportName>orders-url</ExportName></member></Outputs>
              </member></Stacks></DescribeStacksResult>
            </DescribeStacksResponse>
            """);
        using var client = Client(http);

        var stack = (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "portal-orders-dev" })).Stacks.Single();

        Assert.Equal(new DateTime(2024, 5, 2, 11, 30, 15, 250, DateTimeKind.Utc), stack.LastUpdatedTime);
        Assert.Equal("The following resource(s) failed to update: [BackendService].", stack.StackStatusReason);
        Assert.True(stack.DisableRollback);
        Assert.Equal(new Output { OutputKey = "PublicUrl", OutputValue = "http://a.elb.amazonaws.com", Description = "site", ExportName = "orders-url" }, stack.Outputs.Single());
    }

    [Fact]
    public async Task DescribeStackEventsReadsEveryEventOfTheDocumentedExampleNewestFirst()
    {
        var http = new ScriptedHttp().Reply(DescribeStackEventsXml);
        using var client = Client(http);

        var response = await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = "MyStack" });

        Assert.Equal(Form("DescribeStackEvents", ("StackName", "MyStack")), http.Sent.Single().Form);
        Assert.Null(response.NextToken);
        Assert.Equal(RequestId, response.RequestId);
        const string stackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b";
        Assert.Equal(
        [
            new StackEvent
            {
                EventId = "1dedea10-eaf0-11e5-8451-500c5242948e", StackId = stackId, StackName = "SampleStack",
                LogicalResourceId = "SampleStack", PhysicalResourceId = stackId, ResourceType = "AWS::CloudFormation::Stack",
                Timestamp = new DateTime(2016, 3, 15, 20, 54, 31, 809, DateTimeKind.Utc), ResourceStatus = "CREATE_COMPLETE",
            },
            new StackEvent
            {
                EventId = "MyEC2Instance-CREATE_COMPLETE-2016-03-15T20:54:30.174Z", StackId = stackId, StackName = "SampleStack",
                LogicalResourceId = "MyEC2Instance", PhysicalResourceId = "i-1abc23d4", ResourceType = "AWS::EC2::Instance",
                Timestamp = new DateTime(2016, 3, 15, 20, 54, 30, 174, DateTimeKind.Utc), ResourceStatus = "CREATE_COMPLETE",
            },
            new StackEvent
            {
                EventId = "MyEC2Instance-CREATE_IN_PROGRESS-2016-03-15T20:53:17.660Z", StackId = stackId, StackName = "SampleStack",
                LogicalResourceId = "MyEC2Instance", PhysicalResourceId = "i-1abc23d4", ResourceType = "AWS::EC2::Instance",
                Timestamp = new DateTime(2016, 3, 15, 20, 53, 17, 660, DateTimeKind.Utc), ResourceStatus = "CREATE_IN_PROGRESS",
                ResourceStatusReason = "Resource creation Initiated",
            },
            new StackEvent
            {
                EventId = "MyEC2Instance-CREATE_IN_PROGRESS-2016-03-15T20:53:16.516Z", StackId = stackId, StackName = "SampleStack",
                LogicalResourceId = "MyEC2Instance", PhysicalResourceId = "", ResourceType = "AWS::EC2::Instance",
                Timestamp = new DateTime(2016, 3, 15, 20, 53, 16, 516, DateTimeKind.Utc), ResourceStatus = "CREATE_IN_PROGRESS",
            },
            new StackEvent
            {
                EventId = "edbf2ac0-eaef-11e5-adeb-500c28903236", StackId = stackId, StackName = "SampleStack",
                LogicalResourceId = "SampleStack", PhysicalResourceId = stackId, ResourceType = "AWS::CloudFormation::Stack",
                Timestamp = new DateTime(2016, 3, 15, 20, 53, 11, 231, DateTimeKind.Utc), ResourceStatus = "CREATE_IN_PROGRESS",
                ResourceStatusReason = "User Initiated",
            },
        ], response.StackEvents);
        Assert.True(response.StackEvents[0].IsStackEvent);
        Assert.False(response.StackEvents[1].IsStackEvent);
    }

    [Fact]
    public async Task DescribeStackEventsSendsThePageTokenAndReadsTheNextOneAndTheOperationToken()
    {
        var http = new ScriptedHttp().Reply("""
            <DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStackEventsResult>
                <StackEvents><member>
                  <EventId>e-1</EventId><StackId>arn:s</StackId><StackName>s</StackName>
                  <Timestamp>2024-05-02T11:30:15Z</Timestamp><ResourceStatus>UPDATE_IN_PROGRESS</ResourceStatus>
                  <ClientRequestToken>deploy-rev-3</ClientRequestToken>
                </member></StackEvents>
                <NextToken>older-page</NextToken>
              </DescribeStackEventsResult>
            </DescribeStackEventsResponse>
            """);
        using var client = Client(http);

        var response = await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = "s", NextToken = "this-page" });

        Assert.Equal(Form("DescribeStackEvents", ("StackName", "s"), ("NextToken", "this-page")), http.Sent.Single().Form);
        Assert.Equal("older-page", response.NextToken);
        Assert.Equal("deploy-rev-3", response.StackEvents.Single().ClientRequestToken);
    }

    [Fact]
    public async Task DeleteStackSendsTheStackRoleAndToken()
    {
        var http = new ScriptedHttp().Reply(DeleteStackXml);
        using var client = Client(http);

        var response = await client.DeleteStackAsync(new DeleteStackRequest
        {
            StackName = "MyStack",
            RoleARN = "arn:aws:iam::123456789012:role/cfn-exec",
            ClientRequestToken = "destroy-7",
        });

        Assert.Equal(Form("DeleteStack", ("StackName", "MyStack"), ("RoleARN", "arn:aws:iam::123456789012:role/cfn-exec"),
            ("ClientRequestToken", "destroy-7")), http.Sent.Single().Form);
        Assert.Equal("5ccc7dcd-744c-11e5-be70-example", response.RequestId);
    }

    [Fact]
    public async Task CancelUpdateStackSendsTheStackAndToken()
    {
        var http = new ScriptedHttp().Reply(CancelUpdateStackXml);
        using var client = Client(http);

        var response = await client.CancelUpdateStackAsync(new CancelUpdateStackRequest { StackName = "MyStack", ClientRequestToken = "cancel-1" });

        Assert.Equal(Form("CancelUpdateStack", ("StackName", "MyStack"), ("ClientRequestToken", "cancel-1")), http.Sent.Single().Form);
        Assert.Equal("5ccc7dcd-744c-11e5-be70-1b08c228efb3", response.RequestId);
    }

    [Fact]
    public async Task AnErrorResponseBecomesAnExceptionWithCodeMessageRequestIdAndStatus()
    {
        var http = new ScriptedHttp().Reply(Error("ValidationError", "Stack with id MyStack does not exist"), HttpStatusCode.BadRequest);
        using var client = Client(http);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" }));

        Assert.Equal("DescribeStacks", error.Action);
        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal("Stack with id MyStack does not exist", error.ErrorMessage);
        Assert.Equal("21113b58-b7e4-11e2-91fa-05ec834fa451", error.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Sender", error.ErrorType);
        Assert.True(error.IsStackMissing);
        Assert.False(error.IsThrottling);
        Assert.False(error.IsTransient);
        Assert.Contains("ValidationError: Stack with id MyStack does not exist", error.Message);
        Assert.Single(http.Sent);
    }

    [Theory]
    [InlineData("ValidationError", "Stack [portal-orders-dev] does not exist", true)]
    [InlineData("ValidationError", "Template format error: unsupported structure.", false)]
    [InlineData("ChangeSetNotFound", "ChangeSet [rev-3] does not exist", false)]
    public void StackMissingIsToldApartFromOtherValidationErrors(string code, string message, bool missing) =>
        Assert.Equal(missing, new CloudFormationException("DescribeStackEvents", code, message, null, HttpStatusCode.BadRequest).IsStackMissing);

    [Fact]
    public async Task AnErrorPageThatIsNotXmlIsReportedByItsHttpStatus()
    {
        var http = new ScriptedHttp().Reply("<html>bad gateway</html", HttpStatusCode.BadGateway);
        using var client = Client(http, maxAttempts: 1);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" }));

        Assert.Equal("BadGateway", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task ARequestMissingARequiredFieldIsRefusedByNameBeforeAnythingIsSent()
    {
        var http = new ScriptedHttp().Reply(CreateChangeSetXml);
        using var client = Client(http);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = "s",
            ChangeSetName = "c",
            ChangeSetType = ChangeSetType.Create,
            TemplateBody = " ",
        }));

        Assert.Equal("TemplateBody", error.ParamName);
        Assert.Contains("CreateChangeSetRequest.TemplateBody is required", error.Message);
        Assert.Empty(http.Sent);
    }
}
