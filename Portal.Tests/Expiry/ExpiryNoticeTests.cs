using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Workflow;
using Portal.Tests.Workflow;
using Portal.Web.Components.Expiry;

namespace Portal.Tests.Expiry;

/// <summary>The expiry on the environment page: the warning a day ahead, and extending it there.</summary>
/// <remarks>Events are awaited (ClickAsync): the sync Click returns before the handler ran when the renderer is busy
/// finishing the database read's render, which made the next Find flaky on PostgreSQL.</remarks>
[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Component)]
public sealed class ExpiryNoticeTests : WorkflowTest, IDisposable
{
    private readonly BunitContext _context = new();

    public ExpiryNoticeTests()
    {
        _context.Services.AddMudServices();
        _context.Services.AddSingleton(_ => Get<ExpiryQueries>());
        _context.Services.AddSingleton(_ => Get<ExpiryCommands>());
        _context.Services.AddSingleton(TimeProvider.System);
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task ADayBeforeExpiryThePageWarnsWithTheHoursLeftAndTheOwnerExtendsIt()
    {
        await SubmitExpiringAsync("orders-dev", DateTimeOffset.UtcNow.AddHours(23.5));
        var notice = Render("orders-dev", Alice, mayChange: true);

        Assert.Contains("Expires in 23 h", notice.Find("[data-testid=expiry-notice]").TextContent);
        await notice.Find("[data-testid=extend]").ClickAsync(new());
        var extended = DateTimeOffset.UtcNow.AddDays(5);
        await notice.Find("#expires-at").ChangeAsync(new ChangeEventArgs { Value = extended.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) });
        await notice.Find("[data-testid=save-expiry]").ClickAsync(new());

        notice.WaitForAssertion(() => Assert.Empty(notice.FindAll("[data-testid=expiry-notice]")));
        Assert.Contains($"Expires on {ExpiryRules.Format(extended)}", notice.Find("[data-testid=expiry-date]").TextContent);
        var saved = await Get<ExpiryQueries>().GetAsync("orders-dev", CancellationToken.None);
        Assert.Equal(ExpiryRules.Format(extended), ExpiryRules.Format(saved.ExpiresAt!.Value));
    }

    [Fact]
    public async Task MoreThanADayAheadThePageShowsOnlyTheDateAndOthersCannotExtend()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddDays(3);
        await SubmitExpiringAsync("orders-dev", expiresAt);

        var notice = Render("orders-dev", Bob, mayChange: false);

        Assert.Empty(notice.FindAll("[data-testid=expiry-notice]"));
        Assert.Contains($"Expires on {ExpiryRules.Format(expiresAt)}", notice.Find("[data-testid=expiry-date]").TextContent);
        Assert.Empty(notice.FindAll("[data-testid=extend]"));
    }

    [Fact]
    public async Task AnExtensionBeyondTheTargetsMaximumIsShownOnTheFieldAndNotSaved()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddHours(10);
        await SubmitExpiringAsync("orders-dev", expiresAt);
        var notice = Render("orders-dev", Alice, mayChange: true);

        await notice.Find("[data-testid=extend]").ClickAsync(new());
        await notice.Find("#expires-at").ChangeAsync(new ChangeEventArgs { Value = DateTime.UtcNow.AddDays(400).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) });
        await notice.Find("[data-testid=save-expiry]").ClickAsync(new());

        notice.WaitForAssertion(() => Assert.Contains("must be at most 30 days ahead on target 'sandbox'", notice.Markup));
        var saved = await Get<ExpiryQueries>().GetAsync("orders-dev", CancellationToken.None);
        Assert.Equal(ExpiryRules.Format(expiresAt), ExpiryRules.Format(saved.ExpiresAt!.Value));
    }

    private Task SubmitExpiringAsync(string name, DateTimeOffset expiresAt) =>
        Environments.SubmitAsync(new SubmitEnvironment(Spec(name), expiresAt), Alice, CancellationToken.None);

    /// <summary>Renders the notice once it has loaded the expiry (a database read that may outlast the first render).</summary>
    private IRenderedComponent<ExpiryNotice> Render(string name, Actor actor, bool mayChange)
    {
        var notice = _context.Render<ExpiryNotice>(p => p
            .Add(x => x.EnvironmentName, name)
            .Add(x => x.Status, EnvironmentStatus.Requested)
            .Add(x => x.Actor, actor)
            .Add(x => x.MayChange, mayChange));
        notice.WaitForElement("[data-testid=expiry]");
        return notice;
    }
}
