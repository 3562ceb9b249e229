using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Infra.Costs;
using Portal.Infra.Targets;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;
using Portal.Tests.Costs;
using Portal.Tests.Workflow;
using Portal.Web.Components.Requests;
using Portal.Web.Identity;

namespace Portal.Tests.Submissions;

/// <summary>The form says why a submission past the limit was refused and keeps what was typed.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class SubmissionLimitFormTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private readonly string _root = TempFolder.New();

    public SubmissionLimitFormTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseConfiguration.DataDirKey] = Path.Combine(_root, "data"),
            ["Targets:sandbox:Kind"] = "Sandbox",
            ["Submissions:PerUser"] = "1",
        }).Build();
        _context.Services.AddMudServices();
        _context.Services.AddPortalWorkflow(configuration).AddPlaceholderSchedulers();
        _context.Services.AddSingleton(new CostEstimator(
            Options.Create(CostEstimatorTests.Table()), Options.Create(new TargetOptions { ["sandbox"] = new Target { Kind = TargetKind.Sandbox } })));
        _context.AddAuthorization().SetAuthorized("alice").SetRoles(PortalRoles.Engineer).SetClaims(
            new Claim(PortalActor.SubjectClaim, "alice"), new Claim(PortalActor.IssuerClaim, PersonId.DevelopmentIssuer));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task InitializeAsync()
    {
        await _context.Services.MigratePortalDbAsync();
        await using var scope = _context.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EnvironmentCommands>()
            .SubmitAsync(new SubmitEnvironment(WorkflowTest.Spec("orders-dev")), WorkflowTest.Alice, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempFolder.Delete(_root);
    }

    [Fact]
    public void AChangePastTheLimitShowsWhyAndWhenAndLosesNothingTyped()
    {
        var form = _context.Render<EnvironmentFormPage>(p => p.Add(x => x.Name, "orders-dev"));
        form.WaitForElement("#frontend-desired-count").Input("3");

        form.Find("[data-testid=submit]").Click();

        form.WaitForAssertion(() => Assert.Contains("at most 1 are allowed. Try again in", form.Find("[data-testid=refusal]").TextContent));
        Assert.Equal("3", form.Find("#frontend-desired-count").GetAttribute("value"));
    }
}
