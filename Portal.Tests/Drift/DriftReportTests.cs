using Bunit;
using MudBlazor.Services;
using Portal.Jobs.Drift;
using Portal.Web.Components.Drift;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Drift;

/// <summary>What people read on the environment page about drift, and the Check drift button.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class DriftReportTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public DriftReportTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static DriftCheckView Check(DriftCheckStatus status, int? drifted = null, string? reason = null, params DriftedResource[] resources) => new(
        7, "orders-dev", "bob", PersonId.Development("bob"), DateTimeOffset.UtcNow.AddMinutes(-3), status == DriftCheckStatus.Running ? null : DateTimeOffset.UtcNow.AddMinutes(-2),
        status, drifted, reason, resources);

    [Fact]
    public async Task TheButtonStartsACheck()
    {
        var pressed = 0;
        var report = _context.Render<DriftReport>(p => p
            .Add(x => x.MayCheck, true)
            .Add(x => x.OnCheck, () => pressed++));

        Assert.Equal("None", report.Find("[data-testid=drift-status]").GetAttribute("data-status"));
        await report.Find("[data-testid=check-drift]").ClickAsync(new());

        Assert.Equal(1, pressed);
    }

    [Fact]
    public void TheButtonIsDisabledWithTheReasonWhileADeployRunsOrACheckIsRunningAndAbsentWithoutARole()
    {
        var busy = _context.Render<DriftReport>(p => p.Add(x => x.MayCheck, true).Add(x => x.Unavailable, "A deploy is running; check drift once it finishes."));
        var running = _context.Render<DriftReport>(p => p.Add(x => x.MayCheck, true).Add(x => x.Latest, Check(DriftCheckStatus.Running)));
        var noRole = _context.Render<DriftReport>(p => p.Add(x => x.MayCheck, false));

        Assert.True(busy.Find("[data-testid=check-drift]").HasAttribute("disabled"));
        Assert.Equal("A deploy is running; check drift once it finishes.", busy.Find("[data-testid=check-drift]").GetAttribute("title"));
        Assert.True(running.Find("[data-testid=check-drift]").HasAttribute("disabled"));
        Assert.Contains("Checking drift", running.Find("[data-testid=drift-status]").TextContent);
        Assert.Empty(noRole.FindAll("[data-testid=check-drift]"));
    }

    [Fact]
    public void ADriftedResultListsEachPropertyDifferenceAndEachDeletedResource()
    {
        var report = _context.Render<DriftReport>(p => p.Add(x => x.Latest, Check(DriftCheckStatus.Drifted, 2, null,
            new DriftedResource("FrontendServiceBC94BA93", "arn:aws:ecs:…/frontend", "AWS::ECS::Service", "MODIFIED",
            [
                new DriftDifference("/DesiredCount", "2", "7", "NOT_EQUAL"),
                new DriftDifference("/Tags/2", "null", "{\"Key\":\"hand\",\"Value\":\"made\"}", "ADD"),
            ]),
            new DriftedResource("BackendLogGroup1A2B3C4D", "orders-dev-backend", "AWS::Logs::LogGroup", "DELETED", []))));

        var status = report.Find("[data-testid=drift-status]");
        Assert.Equal("Drifted", status.GetAttribute("data-status"));
        Assert.Contains("2 resources drifted.", status.TextContent);
        Assert.Contains("by bob", status.TextContent);
        var rows = report.FindAll("[data-testid=drift-row]");
        Assert.Equal(["FrontendServiceBC94BA93", "FrontendServiceBC94BA93", "BackendLogGroup1A2B3C4D"], rows.Select(r => r.GetAttribute("data-logical-id")));
        Assert.Equal("/DesiredCount", rows[0].QuerySelector("[data-testid=drift-path]")!.TextContent);
        Assert.Equal("2", rows[0].QuerySelector("[data-testid=drift-expected]")!.TextContent);
        Assert.Equal("7", rows[0].QuerySelector("[data-testid=drift-actual]")!.TextContent);
        Assert.Equal("NOT_EQUAL", rows[0].QuerySelector("[data-testid=drift-type]")!.TextContent);
        Assert.Equal("ADD", rows[1].QuerySelector("[data-testid=drift-type]")!.TextContent);
        Assert.Equal("DELETED", rows[2].QuerySelector("[data-testid=drift-resource-status]")!.TextContent);
        Assert.Contains("deleted outside CloudFormation", rows[2].TextContent);
    }

    [Theory]
    [InlineData(DriftCheckStatus.InSync, null, "In sync: every resource matches the template.")]
    [InlineData(DriftCheckStatus.Failed, "Stack with id portal-orders-dev does not exist", "Drift check failed: Stack with id portal-orders-dev does not exist")]
    [InlineData(DriftCheckStatus.Skipped, "revision 4 of orders-dev is deploying", "Drift check skipped: revision 4 of orders-dev is deploying")]
    public void OtherResultsSayWhatHappenedWithoutATable(DriftCheckStatus status, string? reason, string expected)
    {
        var report = _context.Render<DriftReport>(p => p.Add(x => x.Latest, Check(status, status == DriftCheckStatus.InSync ? 0 : null, reason)));

        Assert.Contains(expected, report.Find("[data-testid=drift-status]").TextContent);
        Assert.Empty(report.FindAll("[data-testid=drift-table]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
