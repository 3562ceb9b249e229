using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Infra.Costs;
using Portal.Infra.Targets;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Tests.Environments;
using Portal.Tests.Workflow;
using Portal.Web.Components.Approvals;
using Portal.Web.Components.Requests;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Costs;

/// <summary>The estimate on the request form as the user types, and the difference a revision makes as approvers see it.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class CostViewTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public CostViewTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseConfiguration.DataDirKey] = Path.Combine(TempFolder.New(), "data"),
            ["Targets:sandbox:Kind"] = "Sandbox",
        }).Build();
        _context.Services.AddMudServices();
        _context.Services.AddPortalWorkflow(configuration).AddPlaceholderSchedulers();
        // The test's own price table (us-east-1), so the figures below are the hand-computed ones whatever appsettings.json says.
        _context.Services.AddSingleton(new CostEstimator(
            Options.Create(CostEstimatorTests.Table()), Options.Create(new TargetOptions { ["sandbox"] = new Target { Kind = TargetKind.Sandbox } })));
        _context.AddAuthorization().SetAuthorized("alice");
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void TypingADesiredCountChangesTheFormsEstimateAndAnInvalidOneShowsANoteInstead()
    {
        var form = _context.Render<EnvironmentFormPage>();

        // A new request: both tiers 1 × 0.25 vCPU / 0.5 GB. Per tier 182.5 vCPU-h × 0.04048 = 7.39 and 365 GB-h × 0.004445 = 1.62;
        // load balancers 32.85 + 11.68, NAT 32.85 + 2.25, IPv4 10.95, logs 2.50 + 0.15.
        Assert.Equal("$111.25", Total(form));
        Assert.Contains("as of 2026-11-01", form.Find("[data-testid=cost-basis]").TextContent);

        form.Find("#frontend-desired-count").Input("3");

        // Frontend at 3 tasks: 547.5 vCPU-h × 0.04048 = 22.16, 1095 GB-h × 0.004445 = 4.87.
        form.WaitForAssertion(() => Assert.Equal("$129.27", Total(form)));
        Assert.Equal("$22.16", form.Find("[data-testid=cost-line][data-key='frontend.vcpu'] td:last-child").TextContent);

        form.Find("#frontend-desired-count").Input("99");

        form.WaitForAssertion(() => Assert.Contains("No estimate while this field is invalid", form.Find("[data-testid=cost-unavailable]").TextContent));
        Assert.Contains("frontend.desiredCount", form.Find("[data-testid=cost-unavailable]").TextContent);
        Assert.Empty(form.FindAll("[data-testid=cost-total]"));
    }

    [Fact]
    public void AnApproverSeesWhatAnUpdateAddsPerLineAndInTotal()
    {
        var deployed = SpecSamples.Load(SpecSamples.OrdersDev);
        var update = deployed with { Frontend = deployed.Frontend with { DesiredCount = 4 } };

        var review = Review(Revision(RevisionKind.Update, update), deployed);

        Assert.Equal("+$18.02", review.Find("[data-testid=cost-difference]").TextContent);
        Assert.Contains("$165.31 a month: +$18.02 against what is deployed ($147.29).", review.Find("[data-testid=cost-headline]").TextContent);
        var changed = review.FindAll("[data-testid=cost-line-change].portal-cost-changed");
        Assert.Equal(["frontend.vcpu", "frontend.memory"], changed.Select(r => r.GetAttribute("data-key")));
        Assert.Equal("+$14.77", changed[0].QuerySelector("td:last-child")!.TextContent);
    }

    [Fact]
    public void ACreateAddsTheWholeEstimateAndADestroySavesIt()
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);

        var create = Review(Revision(RevisionKind.Create, spec), deployed: null);
        var destroy = Review(Revision(RevisionKind.Destroy, spec), deployed: spec);

        Assert.Equal("+$147.29", create.Find("[data-testid=cost-difference]").TextContent);
        Assert.Contains("Adds $147.29 a month", create.Find("[data-testid=cost-headline]").TextContent);
        Assert.Equal("−$147.29", destroy.Find("[data-testid=cost-difference]").TextContent);
        Assert.Contains("Destroying saves $147.29 a month.", destroy.Find("[data-testid=cost-headline]").TextContent);
    }

    private IRenderedComponent<RevisionReview> Review(RevisionView revision, Portal.Infra.Environments.EnvironmentSpec? deployed) =>
        _context.Render<RevisionReview>(p => p.Add(x => x.Revision, revision).Add(x => x.DeployedSpec, deployed));

    private static string Total(IRenderedComponent<EnvironmentFormPage> form) => form.Find("[data-testid=cost-total]").TextContent;

    private static RevisionView Revision(RevisionKind kind, Portal.Infra.Environments.EnvironmentSpec spec) => new(
        1, spec.Name, 2, kind, RevisionStatus.AwaitingApproval, null, "portal", Person.Portal.Id, "alice", PersonId.Development("alice"), [], [],
        DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, 1, 0, null, null, null, spec, []);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
