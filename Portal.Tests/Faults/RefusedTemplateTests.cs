using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.CloudFormation;
using Portal.Infra.Synthesis;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Tests.Jobs;
using Portal.Tests.Sandbox;
using EnvironmentStatus = Portal.Jobs.Environments.EnvironmentStatus;

namespace Portal.Tests.Faults;

/// <summary>A template CloudFormation refuses (a synthesizer bug): the plan fails with AWS's words, and nothing else moves.</summary>
[Trait(Lanes.Category, Lanes.Faults)]
// SqliteOnly: CloudFormation refusing a template; its storage is an ordinary failed plan's.
[Trait(Lanes.Database, Lanes.SqliteOnly)]
public sealed class RefusedTemplateTests : IAsyncLifetime
{
    private const string AwsMessage = "Template format error: Unresolved resource dependencies [NoSuchResource] in the Resources block of the template";

    private readonly RefusingSynthesizer _synthesizer = new();
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() =>
        _jobs = await JobsFixture.StartAsync(services => services.AddSingleton<ITemplateSynthesizer>(_synthesizer));

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Fact]
    public async Task ARefusedCreateIsPlanFailedWithTheAwsMessageAndNoStackIsCreated()
    {
        _synthesizer.Refuse = true;

        var planned = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));

        Assert.Equal(RevisionStatus.PlanFailed, planned.Status);
        Assert.Contains($"ValidationError: {AwsMessage}", planned.StatusReason);
        var environment = (await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default)).Environment;
        Assert.Equal(EnvironmentStatus.Requested, environment.Status);
        Assert.Null(environment.DeployedRevisionNumber);
        Assert.Null(await StackStatusAsync());
        Assert.Empty(await _jobs.EventsAsync());
        Assert.Equal(0, _jobs.Sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
    }

    [Fact]
    public async Task ARefusedUpdateIsPlanFailedAndTheDeployedEnvironmentAndItsStackStayAsTheyWere()
    {
        var created = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(created.Id)).Status);
        var before = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        var eventsBefore = await _jobs.Sandbox.CountEventsAsync("portal-orders-dev");
        _synthesizer.Refuse = true;

        var update = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "2.0.0"));

        Assert.Equal(RevisionStatus.PlanFailed, update.Status);
        Assert.Contains($"ValidationError: {AwsMessage}", update.StatusReason);
        var after = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        Assert.Equal(EnvironmentStatus.Deployed, after.Environment.Status);
        Assert.Equal(1, after.Environment.DeployedRevisionNumber);
        Assert.Equal(before.Outputs, after.Outputs);
        Assert.Equal("CREATE_COMPLETE", await StackStatusAsync());
        Assert.Equal(eventsBefore, await _jobs.Sandbox.CountEventsAsync("portal-orders-dev"));
        Assert.Equal(1, _jobs.Sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
    }

    private async Task<string?> StackStatusAsync()
    {
        using var client = _jobs.Sandbox.Client();
        try
        {
            return (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "portal-orders-dev" })).Stacks.Single().StackStatus;
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return null;
        }
    }

    /// <summary>The real synthesizer, and, once told to, a resource in its template that depends on one that does not exist.</summary>
    private sealed class RefusingSynthesizer : ITemplateSynthesizer
    {
        private readonly TemplateSynthesizer _real = new();

        public bool Refuse { get; set; }

        public async Task<IReadOnlyList<SynthResult>> SynthesizeAsync(IReadOnlyList<SynthRequest> requests, CancellationToken cancellationToken = default)
        {
            var synths = await _real.SynthesizeAsync(requests, cancellationToken);
            return Refuse ? [.. synths.Select(Broken)] : synths;
        }

        private static SynthResult Broken(SynthResult synth)
        {
            var template = JsonNode.Parse(synth.TemplateJson)!.AsObject();
            template["Resources"]!["BrokenTopic"] = new JsonObject { ["Type"] = "AWS::SNS::Topic", ["DependsOn"] = "NoSuchResource" };
            return synth with { TemplateJson = template.ToJsonString() };
        }
    }
}
