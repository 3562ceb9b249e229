using Bunit;
using MudBlazor.Services;
using Portal.Infra.Deployments;
using Portal.Infra.Guardrails;
using Portal.Jobs.Deployments;
using Portal.Jobs.Revisions;
using Portal.Tests.Environments;
using Portal.Web.Components.Approvals;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Web;

/// <summary>What an approver reads about a revision's plan before deciding.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class PlanReviewTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public PlanReviewTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void AReplacementIsMarkedWithThePropertiesThatForceIt()
    {
        var review = _context.Render<PlanReview>(p => p.Add(x => x.Revision, Revision(new RevisionPlan
        {
            Operation = "UPDATE",
            Changes =
            [
                new PlannedChange("Modify", "FrontendTask1FBAEF7E", "AWS::ECS::TaskDefinition", "True", ["ContainerDefinitions"]),
                new PlannedChange("Modify", "FrontendServiceBC94BA93", "AWS::ECS::Service", "False", []),
            ],
            Guardrail = GuardrailResult.From("SecurityChainCheck", []),
        })));

        var replaced = Assert.Single(review.FindAll("[data-testid=change][data-replacement=true]"));
        Assert.Equal("FrontendTask1FBAEF7E", replaced.GetAttribute("data-logical-id"));
        Assert.Contains("Replaced: ContainerDefinitions changes", replaced.QuerySelector("[data-testid=replacement]")!.TextContent);
        Assert.Equal(2, review.FindAll("[data-testid=change]").Count);
        Assert.Contains("Updates the stack: 2 resource changes (2 modify), 1 of them replacing the resource.", review.Find("[data-testid=plan-summary]").TextContent);
        Assert.Equal("true", review.Find("[data-testid=guardrail]").GetAttribute("data-passed"));
    }

    [Fact]
    public void PassedGuardrailsSayWhatTheyChecked()
    {
        var plan = new RevisionPlan
        {
            Operation = "CREATE",
            Guardrail = GuardrailResult.Combine(GuardrailResult.From(SecurityChainCheck.Name, []), GuardrailResult.From(LiteralTextCheck.Name, [])),
        };

        var guardrail = _context.Render<PlanReview>(p => p.Add(x => x.Revision, Revision(plan))).Find("[data-testid=guardrail]");

        Assert.Equal("Guardrail SecurityChainCheck and LiteralTextCheck passed: each security group admits only the component in front of it, " +
                     "and the spec's text reaches the template only as text.", guardrail.TextContent.Trim());
    }

    [Fact]
    public void AFailedGuardrailListsItsFindings()
    {
        var review = _context.Render<PlanReview>(p => p.Add(x => x.Revision, Revision(new RevisionPlan
        {
            Operation = "NONE",
            Guardrail = GuardrailResult.From("SecurityChainCheck", [new GuardrailFinding("BackendTasksSecurityGroup54584B5C", "admits 0.0.0.0/0 on port 8080")]),
            Notes = ["Stack portal-x was left in ROLLBACK_COMPLETE by a failed create; it is deleted first."],
        })));

        var guardrail = review.Find("[data-testid=guardrail]");
        Assert.Equal("false", guardrail.GetAttribute("data-passed"));
        Assert.Contains("BackendTasksSecurityGroup54584B5C: admits 0.0.0.0/0 on port 8080", guardrail.TextContent);
        Assert.Contains("deleted first", review.Find("[data-testid=plan-notes]").TextContent);
    }

    [Fact]
    public void ARevisionNotPlannedYetSaysSo()
    {
        var review = _context.Render<PlanReview>(p => p.Add(x => x.Revision, Revision(plan: null)));

        Assert.Contains("Not planned yet", review.Markup);
    }

    private static RevisionView Revision(RevisionPlan? plan) => new(
        1, "orders-dev", 2, RevisionKind.Update, RevisionStatus.AwaitingApproval, null, "portal", Person.Portal.Id, "alice", PersonId.Development("alice"), [], [],
        DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, 1, 0, null, null, plan?.ToJson(),
        SpecSamples.Load(SpecSamples.OrdersDev), []);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
