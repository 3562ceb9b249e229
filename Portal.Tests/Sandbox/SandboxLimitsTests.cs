using System.Net;
using System.Xml.Linq;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>
/// What the sandbox holds is bounded: each field by CloudFormation's own limits, each request by its size, and its
/// stacks, change sets, events, drift detections and deleted stacks by <see cref="SandboxOptions"/>.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxLimitsTests
{
    private static readonly XNamespace Ns = SandboxApi.Ns;

    private static string Topic(string name = "orders") =>
        $$"""{ "Resources": { "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": "{{name}}" } } } }""";

    [Fact]
    public async Task AFourMegabyteDescriptionIsRefusedUnreadAndNothingIsCreated()
    {
        await using var host = await SandboxTestHost.StartAsync();

        var error = await host.Api.ErrorAsync("CreateChangeSet", ("StackName", "huge"), ("ChangeSetName", "plan"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", Topic()), ("Description", new string('d', 4_000_000)));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge"), (error.Status, error.Code));
        Assert.Equal("The request body is larger than the sandbox accepts: at most 1,048,576 bytes (Sandbox:MaxRequestBytes).", error.Message);
        var stacks = await host.Api.CallAsync("DescribeStacks");
        Assert.Empty(stacks!.Element(Ns + "Stacks")!.Elements());
    }

    public static TheoryData<(string Key, string Value)[], string> OverLimits => new()
    {
        { [("Description", new string('d', 1025))],
          "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024" },
        { [("ClientToken", new string('t', 129))],
          "1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 128" },
        { [("Tags.member.1.Key", new string('k', 129)), ("Tags.member.1.Value", "v"), ("Tags.member.2.Key", "team"), ("Tags.member.2.Value", new string('v', 257))],
          "2 validation errors detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128; " +
          "Value at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256" },
        { Enumerable.Range(1, 51).SelectMany(i => new[] { ($"Tags.member.{i}.Key", $"k{i}"), ($"Tags.member.{i}.Value", "v") }).ToArray(),
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50" },
        // 4,096 bytes, not characters: 2,049 two-byte characters are over.
        { [("Parameters.member.1.ParameterKey", "Name"), ("Parameters.member.1.ParameterValue", new string('é', 2049))],
          "1 validation error detected: Value at 'parameters.1.member.parameterValue' failed to satisfy constraint: Member must have length less than or equal to 4096" },
        { Enumerable.Range(1, 201).SelectMany(i => new[] { ($"Parameters.member.{i}.ParameterKey", $"P{i}"), ($"Parameters.member.{i}.ParameterValue", "v") }).ToArray(),
          "1 validation error detected: Value at 'parameters' failed to satisfy constraint: Member must have length less than or equal to 200" },
        { [("Description", new string('d', 1025)), ("ClientToken", new string('t', 129)), ("RoleARN", "arn:aws:iam::123456789012:role/" + new string('r', 2048))],
          "3 validation errors detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024; " +
          "Value at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 128; " +
          "Value at 'roleARN' failed to satisfy constraint: Member must have length less than or equal to 2048" },
    };

    [Theory]
    [MemberData(nameof(OverLimits))]
    public async Task FieldsOverCloudFormationLimitsAreValidationErrorsNamingEachFieldAndCreateNothing(
        (string Key, string Value)[] fields, string expectedMessage)
    {
        await using var host = await SandboxTestHost.StartAsync();

        var error = await host.Api.ErrorAsync("CreateChangeSet", [("StackName", "over"), ("ChangeSetName", "plan"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", Topic()), .. fields]);

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError", expectedMessage), (error.Status, error.Code, error.Message));
        Assert.Equal("Stack with id over does not exist", (await host.Api.ErrorAsync("DescribeStacks", ("StackName", "over"))).Message);
    }

    [Fact]
    public async Task ValuesAtCloudFormationLimitsAreAccepted()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var template = $$"""{ "Description": "{{new string('é', 512)}}", "Parameters": { "Name": { "Type": "String" } }, "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } } }""";

        var id = await host.Api.CreateChangeSetAsync("at-limits", "plan", template, "CREATE",
            ("Description", new string('d', 1024)), ("ClientToken", new string('t', 128)),
            ("Parameters.member.1.ParameterKey", "Name"), ("Parameters.member.1.ParameterValue", new string('é', 2048)),
            ("Tags.member.1.Key", new string('k', 128)), ("Tags.member.1.Value", new string('v', 256)));
        var (changeSet, _) = await host.Api.WaitForChangeSetAsync(id);

        Assert.Equal("CREATE_COMPLETE", changeSet.Element(Ns + "Status")!.Value);
        Assert.Equal(new string('d', 1024), changeSet.Element(Ns + "Description")!.Value);
    }

    [Fact]
    public async Task AClientRequestTokenOver128CharactersIsRefusedBeforeAnythingIsDeleted()
    {
        await using var host = await SandboxTestHost.StartAsync();
        await host.Api.CreateChangeSetAsync("kept", "plan", Topic());

        var error = await host.Api.ErrorAsync("DeleteStack", ("StackName", "kept"), ("ClientRequestToken", new string('t', 129)));

        Assert.Equal("1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 128", error.Message);
        Assert.Equal("REVIEW_IN_PROGRESS", SandboxApi.Status(await host.Api.DescribeStackAsync("kept")));
    }

    [Fact]
    public async Task OneStackMoreThanMaxStacksIsRefusedWithLimitExceededUntilOneIsDeleted()
    {
        await using var host = await SandboxTestHost.StartAsync(o => o.MaxStacks = 2);
        await host.Api.CreateChangeSetAsync("first", "plan", Topic());
        var second = await host.Api.CreateChangeSetAsync("second", "plan", Topic());

        var refused = await host.Api.ErrorAsync("CreateChangeSet", ("StackName", "third"), ("ChangeSetName", "plan"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", Topic()));
        var anotherChangeSetOnAStackThatExists = await host.Api.CreateChangeSetAsync("second", "other", Topic());
        await host.Api.CallAsync("DeleteStack", ("StackName", "first"));
        await SandboxApi.PollAsync(() => host.Api.ErrorAsync("DescribeStacks", ("StackName", "first")), e => e.Code == "ValidationError");
        var third = await host.Api.CreateChangeSetAsync("third", "plan", Topic());

        Assert.Equal((HttpStatusCode.BadRequest, "LimitExceededException"), (refused.Status, refused.Code));
        Assert.StartsWith("Limit for stacks has been exceeded", refused.Message);
        Assert.Contains("Sandbox:MaxStacks", refused.Message);
        Assert.NotEqual(second, anotherChangeSetOnAStackThatExists);
        Assert.NotNull(third);
    }

    [Fact]
    public async Task AStackKeepsMaxChangeSetsPerStackChangeSetsDroppingSpentOnesFirst()
    {
        await using var host = await SandboxTestHost.StartAsync(o => o.MaxChangeSetsPerStack = 2);
        var create = await host.Api.CreateChangeSetAsync("orders", "create", Topic("v1"));
        await host.Api.WaitForChangeSetAsync(create);
        await host.Api.ExecuteAndWaitAsync(create, "orders");
        var first = await host.Api.CreateChangeSetAsync("orders", "update-1", Topic("v2"), "UPDATE");

        // The executed change set is spent: it makes room.
        var second = await host.Api.CreateChangeSetAsync("orders", "update-2", Topic("v3"), "UPDATE");
        await host.Api.WaitForChangeSetAsync(first);
        await host.Api.WaitForChangeSetAsync(second);
        // Both left could still be executed: nothing is dropped for a third.
        var refused = await host.Api.ErrorAsync("CreateChangeSet", ("StackName", "orders"), ("ChangeSetName", "update-3"),
            ("ChangeSetType", "UPDATE"), ("TemplateBody", Topic("v4")));

        Assert.Equal("ChangeSetNotFound", (await host.Api.ErrorAsync("DescribeChangeSet", ("ChangeSetName", create))).Code);
        Assert.Equal((HttpStatusCode.BadRequest, "LimitExceededException"), (refused.Status, refused.Code));
        Assert.Contains("Sandbox:MaxChangeSetsPerStack", refused.Message);
        Assert.Equal("AVAILABLE", (await host.Api.CallAsync("DescribeChangeSet", ("ChangeSetName", first)))!.Element(Ns + "ExecutionStatus")!.Value);
    }

    [Fact]
    public async Task AStackKeepsItsNewestMaxEventsPerStackEventsAndPagesThroughThem()
    {
        await using var host = await SandboxTestHost.StartAsync(o => (o.MaxEventsPerStack, o.EventsPageSize) = (5, 2));

        var stackId = (await host.DeployAsync("orders-dev", TwoTierTemplate.Json())).Id;
        var events = await host.Api.AllEventsAsync(stackId);

        Assert.Equal(5, events.Count);
        Assert.Equal(("orders-dev", "CREATE_COMPLETE"), (events[0].LogicalResourceId, events[0].ResourceStatus));
        Assert.Equal(events.Select(e => e.Timestamp).OrderDescending(), events.Select(e => e.Timestamp));
        Assert.DoesNotContain(events, e => e.ResourceStatus == "REVIEW_IN_PROGRESS");
    }

    [Fact]
    public async Task DriftDetectionsBeyondMaxDriftDetectionsPerStackAreForgottenOldestFirst()
    {
        await using var host = await SandboxTestHost.StartAsync(o => o.MaxDriftDetectionsPerStack = 2);
        await host.DeployAsync("orders", Topic());

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await host.Api.CallAsync("DetectStackDrift", ("StackName", "orders")))!.Element(Ns + "StackDriftDetectionId")!.Value);
        var oldest = await host.Api.ErrorAsync("DescribeStackDriftDetectionStatus", ("StackDriftDetectionId", ids[0]));

        Assert.Equal($"Drift detection [{ids[0]}] does not exist.", oldest.Message);
        foreach (var id in ids.Skip(1))
            Assert.NotNull(await host.Api.CallAsync("DescribeStackDriftDetectionStatus", ("StackDriftDetectionId", id)));
    }

    [Fact]
    public async Task DeletedStacksBeyondMaxDeletedStacksAreForgottenOldestFirst()
    {
        await using var host = await SandboxTestHost.StartAsync(o => o.MaxDeletedStacks = 1);
        var ids = new List<string>();
        foreach (var name in new[] { "gone-first", "gone-second" })
        {
            ids.Add((await host.DeployAsync(name, Topic(name))).Id);
            await host.Api.CallAsync("DeleteStack", ("StackName", name));
            Assert.Equal("DELETE_COMPLETE", SandboxApi.Status(await host.Api.WaitForStackAsync(ids[^1])));
        }

        var forgotten = await host.Api.ErrorAsync("DescribeStacks", ("StackName", ids[0]));
        var kept = await host.Api.DescribeStackAsync(ids[1]);

        Assert.Equal($"Stack with id {ids[0]} does not exist", forgotten.Message);
        Assert.Equal("DELETE_COMPLETE", SandboxApi.Status(kept));
    }

    [Fact]
    public void IdempotencyTokensAreKeptForTheNewestCallsOnly()
    {
        var tokens = new RecentTokens();
        for (var i = 0; i <= 100; i++)
            tokens.Add($"token-{i}", $"call-{i}");
        tokens.Add("token-100", "a retry does not replace what the call did");

        Assert.False(tokens.TryGetValue("token-0", out _));
        Assert.True(tokens.TryGetValue("token-1", out var kept));
        Assert.Equal("call-1", kept);
        Assert.True(tokens.TryGetValue("token-100", out var last));
        Assert.Equal("call-100", last);
    }

    public static TheoryData<Action<SandboxOptions>, string> InvalidOptions => new()
    {
        { o => o.AccessKeyId = "", "Sandbox:AccessKeyId must be 1 to 128 letters and digits." },
        { o => o.AccessKeyId = "AKID/WITH/SLASHES", "Sandbox:AccessKeyId must be 1 to 128 letters and digits." },
        { o => o.SecretAccessKey = "", "Sandbox:SecretAccessKey must not be empty." },
        { o => o.MaxRequestBytes = 100_000, "Sandbox:MaxRequestBytes must be at least 262,144 (was 100,000)." },
        { o => o.MaxStacks = 0, "Sandbox:MaxStacks must be at least 1 (was 0)." },
        { o => o.MaxChangeSetsPerStack = 0, "Sandbox:MaxChangeSetsPerStack must be at least 1 (was 0)." },
        { o => o.MaxEventsPerStack = 0, "Sandbox:MaxEventsPerStack must be at least 1 (was 0)." },
        { o => o.MaxDriftDetectionsPerStack = 0, "Sandbox:MaxDriftDetectionsPerStack must be at least 1 (was 0)." },
        { o => o.MaxDeletedStacks = -1, "Sandbox:MaxDeletedStacks must be at least 0 (was -1)." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidBoundsAndCredentialsAreRefusedNamingTheSetting(Action<SandboxOptions> configure, string expectedMessage)
    {
        var options = new SandboxOptions();
        configure(options);

        Assert.Equal(expectedMessage, Assert.Throws<ArgumentException>(options.Validate).Message);
    }
}
