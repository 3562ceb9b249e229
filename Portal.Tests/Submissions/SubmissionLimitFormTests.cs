using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;
using Portal.Tests.Workflow;
using Portal.Web.Components.Requests;

namespace Portal.Tests.Submissions;

/// <summary>The form says why a submission past the limit was refused and keeps what was typed.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class SubmissionLimitFormTests : IAsyncLifetime
{
    private readonly string _root = TempFolder.New();
    private readonly BunitContext _context;

    public SubmissionLimitFormTests() => _context = WorkflowComponents.Context(_root, "alice", PortalRoles.Engineer, new Dictionary<string, string?>
    {
        ["Submissions:PerUser"] = "1",
    });

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
