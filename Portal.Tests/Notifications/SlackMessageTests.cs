using System.Text.Json;
using Portal.Jobs.Notifications;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Workflow;

namespace Portal.Tests.Notifications;

/// <summary>
/// Slack reads <c>&lt;…&gt;</c> in a message as markup: <c>&lt;!channel&gt;</c> pings everyone, <c>&lt;http://…|text&gt;</c> is a
/// link showing other text. Environment names and targets are restricted, but a failure reason echoes what CloudFormation
/// says about the spec (variable values, image names) and the requester's name comes from the identity provider, so both
/// are sent as plain text in the fallback <c>text</c> (what notifications show) and in the blocks.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SlackMessageTests
{
    private const string HostileReason =
        "ROLLBACK_COMPLETE: BackendTaskDefinition: Invalid value '<!channel> <http://evil.example|click here> & <@U024BE7LH>'";

    [Fact]
    public void HostileTextInAReasonOrANameIsEscapedInTheTextAndTheBlocks()
    {
        var notification = new Notification(NotificationEvent.Failed, "orders-dev", "prod", 3, RevisionKind.Update, new Person(PersonId.Development("mallory"), "<!here>"), HostileReason);

        using var message = JsonDocument.Parse(SlackMessage.Json(notification));

        var text = message.RootElement.GetProperty("text").GetString()!;
        var blocks = message.RootElement.GetProperty("blocks");
        var section = blocks[0].GetProperty("text").GetProperty("text").GetString()!;
        var context = blocks[1].GetProperty("elements")[0].GetProperty("text").GetString()!;
        const string escaped = "Invalid value '&lt;!channel&gt; &lt;http://evil.example|click here&gt; &amp; &lt;@U024BE7LH&gt;'";
        Assert.Equal($"orders-dev: revision 3 (Update) failed: ROLLBACK_COMPLETE: BackendTaskDefinition: {escaped}", text);
        Assert.Equal(text, section);
        Assert.EndsWith("requested by &lt;!here&gt;", context);
        Assert.All(new[] { text, section, context }, t => Assert.DoesNotContain('<', t));
    }

    [Theory]
    [InlineData(NotificationEvent.AwaitingApproval)]
    [InlineData(NotificationEvent.Deployed)]
    [InlineData(NotificationEvent.Expired)]
    public void EveryEventEscapesItsDetails(NotificationEvent @event)
    {
        var notification = new Notification(@event, "orders-dev", "prod", 1, RevisionKind.Create, WorkflowTest.Alice.Person, "<!channel>");

        using var message = JsonDocument.Parse(SlackMessage.Json(notification));

        var text = message.RootElement.GetProperty("text").GetString()!;

        Assert.Contains("&lt;!channel&gt;", text);
        Assert.DoesNotContain('<', text);
    }
}
