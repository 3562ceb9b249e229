using System.Text.Json.Nodes;
using Portal.Infra.Intake;

namespace Portal.Tests.Intake;

/// <summary>The intake stack as CloudFormation receives it: what the rule matches, where it sends, who may send there.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class IntakeStackTests
{
    private static async Task<JsonObject> TemplateAsync() => JsonNode.Parse(await IntakeSetup.TemplateAsync(CancellationToken.None))!.AsObject();

    private static IEnumerable<JsonObject> Resources(JsonObject template, string type) =>
        template["Resources"]!.AsObject().Select(r => r.Value!.AsObject()).Where(r => (string)r["Type"]! == type);

    [Fact]
    public async Task TheRuleSendsBothKindsOfCloudFormationStatusChangeOfThePortalsStacksInThisAccountToTheQueue()
    {
        var template = await TemplateAsync();
        var rule = Assert.Single(Resources(template, "AWS::Events::Rule"))["Properties"]!;
        var pattern = rule["EventPattern"]!;
        Assert.Equal(["aws.cloudformation"], pattern["source"]!.AsArray().Select(v => (string)v!));
        Assert.Equal([PushedStackEvent.ResourceStatusChange, PushedStackEvent.StackStatusChange], pattern["detail-type"]!.AsArray().Select(v => (string)v!));
        // arn:${Partition}:cloudformation:${Region}:${AccountId}:stack/portal-: this account's and region's environment stacks only.
        var prefix = pattern["detail"]!["stack-id"]![0]!["prefix"]!["Fn::Join"]![1]!.AsArray();
        Assert.Equal(":stack/portal-", (string)prefix[^1]!);
        Assert.Contains(prefix, part => part is JsonObject o && (string?)o["Ref"] == "AWS::AccountId");
        Assert.Contains(prefix, part => part is JsonObject o && (string?)o["Ref"] == "AWS::Region");
        Assert.Equal("ENABLED", (string)rule["State"]!);

        var queueId = template["Resources"]!.AsObject().Single(r => (string)r.Value!["Type"]! == "AWS::SQS::Queue" && r.Value!["Properties"]!["RedrivePolicy"] is not null).Key;
        var target = Assert.Single(rule["Targets"]!.AsArray())!;
        Assert.Equal(queueId, (string)target["Arn"]!["Fn::GetAtt"]![0]!);
    }

    [Fact]
    public async Task OnlyThatRuleMaySendToTheQueueAndWhatThePortalCannotTakeGoesToADeadLetterQueue()
    {
        var template = await TemplateAsync();
        var queues = Resources(template, "AWS::SQS::Queue").ToList();
        Assert.Equal(2, queues.Count);
        var redrive = queues.Single(q => q["Properties"]!["RedrivePolicy"] is not null)["Properties"]!["RedrivePolicy"]!;
        Assert.Equal(IntakeStack.MaxReceiveCount, (int)redrive["maxReceiveCount"]!);
        Assert.All(queues, q => Assert.True((bool)q["Properties"]!["SqsManagedSseEnabled"]!));

        var statements = Resources(template, "AWS::SQS::QueuePolicy").SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()).ToList();
        var send = Assert.Single(statements, s => (string)s!["Effect"]! == "Allow")!;
        Assert.Equal("events.amazonaws.com", (string)send["Principal"]!["Service"]!);
        Assert.Contains("sqs:SendMessage", send["Action"] is JsonArray actions ? actions.Select(a => (string)a!) : [(string)send["Action"]!]);
        var ruleId = template["Resources"]!.AsObject().Single(r => (string)r.Value!["Type"]! == "AWS::Events::Rule").Key;
        Assert.Equal(ruleId, (string)send["Condition"]!["ArnEquals"]!["aws:SourceArn"]!["Fn::GetAtt"]![0]!);

        Assert.NotNull(template["Outputs"]![IntakeStack.QueueUrlOutput]);
    }
}
