using System.Net;
using Amazon.SQS.Model;
using Portal.Infra.Environments;
using Portal.Infra.Intake;
using Portal.Sandbox;
using Portal.Tests.Api;
using Portal.Tests.Faults;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Intake;

/// <summary>
/// A deploy on a target with an intake, end to end on the real path: the intake stack deployed into the sandbox as
/// <c>setup-target</c> deploys it, the sandbox sending its stacks' events through the rule to the queue, the portal
/// reading them with AWSSDK.SQS. The watcher's reconcile interval is longer than the deploy, so only the push can tell
/// the job the stack settled.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class PushedDeployTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private readonly string _root = TempFolder.New("pushed");

    // A create of about 4 s: polling alone every 100 ms would call DescribeStackEvents dozens of times.
    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.02 }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task EventsArriveByPushThePortalPollsOnlyToReconcileAndStoresEachEventOnceWithCloudFormationsId()
    {
        var settings = await PortalHost.SettingsAsync(Path.Combine(_root, "data"), _sandbox.Url);
        settings["Targets:sandbox:StackEventQueueUrl"] = await IntakeQueue.DeployAsync(_sandbox);
        settings["StackEvents:ReconcileInterval"] = "00:02:00";
        await using var host = PortalHost.OnData(settings);
        var name = PortalHost.UniqueName("pushed");

        using (var submitted = await host.SubmitAsync("alice", name))
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");
        var pollsBefore = _sandbox.CloudFormation.CallCount("DescribeStackEvents");
        using (var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null)))
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await host.RevisionReachesAsync(name, 1, "Deployed");

        // The job's first poll, the one the push asked for once the stack settled, and the last one after it.
        var polls = _sandbox.CloudFormation.CallCount("DescribeStackEvents") - pollsBefore;
        Assert.InRange(polls, 1, 4);
        var ledger = await EventLedger.ReadAsync(_sandbox, new EnvironmentSpec { Name = name }.StackName, settings, name);
        ledger.AssertEachEventStoredOnce();
        Assert.DoesNotContain(ledger.Stored, PushedStackEvent.IsPushed);

        // Every message the deploy sent was taken and deleted.
        using var sqs = SandboxQueues.Client(_sandbox);
        await Poll.UntilAsync(async () =>
        {
            var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
            {
                QueueUrl = settings["Targets:sandbox:StackEventQueueUrl"],
                AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            });
            return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible == 0;
        }, "the intake queue to be empty", 30);
    }
}
