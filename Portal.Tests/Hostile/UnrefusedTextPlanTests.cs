using Microsoft.EntityFrameworkCore;
using Portal.Infra.Environments;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Revisions;
using Portal.Tests.Guardrails;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;
using Portal.Jobs.Environments;

namespace Portal.Tests.Hostile;

/// <summary>
/// Behind validation: a revision whose spec the rules would refuse, written straight to the database as a bug or a
/// tampered row could leave it, is planned; the plan's guardrails fail it before any change set.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class UnrefusedTextPlanTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync();

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Fact]
    public async Task AStoredSpecHoldingATokenAndADynamicReferenceFailsItsPlanAndMakesNoChangeSet()
    {
        var tokens = await LiteralTextTemplates.TokensAsync();
        var sample = JobsFixture.Spec("unrefused");
        var spec = sample with
        {
            Frontend = sample.Frontend with
            {
                Environment = new Dictionary<string, string>
                {
                    ["DB_PASSWORD"] = "{{resolve:secretsmanager:prod/db:SecretString:password}}",
                    ["GROUP"] = tokens.GetAtt,
                },
            },
        };
        Assert.Equal(["frontend.environment.DB_PASSWORD", "frontend.environment.GROUP"], EnvironmentSpecValidator.Validate(spec).Select(e => e.Path));
        int revisionId;
        await using (var db = await _jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync())
        {
            var environment = ManagedEnvironment.Request(spec, WorkflowTest.Alice.Person, requiredApprovals: 1);
            db.Environments.Add(environment);
            await db.SaveChangesAsync();
            revisionId = environment.Revisions.Single().Id;
        }

        await _jobs.Get<PlanJob>().RunAsync(revisionId, default);

        var revision = await _jobs.RevisionAsync(revisionId);
        Assert.Equal(RevisionStatus.PlanFailed, revision.Status);
        Assert.StartsWith("The guardrails (SecurityChainCheck and LiteralTextCheck) failed:", revision.StatusReason);
        Assert.Contains("Properties.ContainerDefinitions[0].Environment[0].Value holds a CloudFormation dynamic reference", revision.StatusReason);
        Assert.Contains("Properties.ContainerDefinitions[0].Environment[1].Value is {\"Fn::GetAtt\":", revision.StatusReason);
        var plan = RevisionPlan.FromJson(revision.PlanJson)!;
        Assert.Equal("NONE", plan.Operation);
        Assert.False(plan.Guardrail!.Passed);
        Assert.Equal(0, _jobs.Sandbox.CloudFormation.CallCount("CreateChangeSet"));
    }
}
