using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Workflow;
using Portal.Web.Components.Approvals;

namespace Portal.Tests.Approvals;

/// <summary>The approval queue keeps what an approver typed with the revision it was typed for.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class ApprovalsPageTests : IAsyncLifetime
{
    private readonly string _root = TempFolder.New();
    private readonly BunitContext _context;

    public ApprovalsPageTests() => _context = WorkflowComponents.Context(_root, "bob", PortalRoles.Approver, new Dictionary<string, string?>
    {
        ["Targets:sandbox:RequiredApprovals"] = "1",
    });

    public async Task InitializeAsync()
    {
        await _context.Services.MigratePortalDbAsync();
        foreach (var name in new[] { "billing-dev", "orders-dev" })
        {
            await using var scope = _context.Services.CreateAsyncScope();
            // The placeholder plan scheduler (the tests' own) plans at once: each waits for a decision.
            await scope.ServiceProvider.GetRequiredService<EnvironmentCommands>()
                .SubmitAsync(new SubmitEnvironment(WorkflowTest.Spec(name)), WorkflowTest.Alice, CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task ACommentTypedBeforeTheFilterNarrowsTheQueueIsTheOneTheApprovalCarries()
    {
        var page = _context.Render<ApprovalsPage>();
        var orders = page.WaitForElement("[data-testid=request-orders-dev-1]");

        // The comment goes into the second card, then the filter leaves that card alone at the top of the list.
        orders.QuerySelector("textarea")!.Input("Checked with the orders team.");
        page.Find("#search").Input("orders");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid^=request-]")));
        page.Find("[data-testid=request-orders-dev-1] [data-testid=approve]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=request-orders-dev-1]")));
        await using var db = await _context.Services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        var approval = await db.Revisions.Where(r => r.Environment.Name == "orders-dev").SelectMany(r => r.Approvals).SingleAsync();
        Assert.Equal("Checked with the orders team.", approval.Comment);
    }
}
