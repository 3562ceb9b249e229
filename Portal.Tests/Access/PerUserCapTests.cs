using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Portal.Jobs.Data;
using Portal.Jobs.StackEvents;
using Portal.Tests.Api;
using Portal.Tests.Browser;
using Portal.Tests.Postgres;

namespace Portal.Tests.Access;

/// <summary>
/// What one user holds open on a web instance is capped, so one client (or one stolen token) cannot exhaust it: event
/// streams (<c>LiveEvents:MaxStreamsPerUser</c>; the next is answered 429) and open pages, i.e. Blazor circuits
/// (<c>Circuits:MaxPerUser</c>; the next page stays static and says so). Closing one makes room; other users are not affected.
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class PerUserCapTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task AUserAtTheEventStreamCapGets429UntilOneOfTheirStreamsCloses()
    {
        var max = host.Services.GetRequiredService<IOptions<LiveEventsOptions>>().Value.MaxStreamsPerUser;
        var name = await host.RequestedByAliceAsync("stream-cap");
        var path = $"/api/environments/{name}/events/stream";
        var open = new List<(HttpClient Client, HttpResponseMessage Response)>();
        try
        {
            for (var i = 0; i < max; i++)
            {
                var client = host.Api("erin");
                open.Add((client, await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead)));
            }
            using var erin = host.Api("erin");
            using var refused = await erin.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            using var carol = host.Api("carol");
            using var someoneElse = await carol.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

            Assert.All(open, stream => Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.JsonAsync();
            Assert.Equal($"erin has {max} event streams open, the most allowed (LiveEvents:MaxStreamsPerUser); close one first.",
                problem.GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);

            open[0].Response.Dispose();
            open[0].Client.Dispose();
            open.RemoveAt(0);
            await Poll.UntilAsync(async () =>
            {
                using var again = await erin.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                return again.StatusCode == HttpStatusCode.OK;
            }, "a stream to be allowed once one closed", seconds: 30);
        }
        finally
        {
            foreach (var (client, response) in open)
            {
                response.Dispose();
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task AUserAtThePageCapGetsAStaticPageUntilOneOfTheirPagesCloses()
    {
        var settings = new Dictionary<string, string>(await TestDatabase.SettingsAsync())
        {
            [DatabaseConfiguration.DataDirKey] = Path.Combine(TempFolder.New("circuits"), "data"),
            ["Jobs:RunServer"] = "false",
            ["Circuits:MaxPerUser"] = "1",
        };
        try
        {
            await using var capped = PortalHost.OnData(settings);
            var first = await chromium.SignInAsync(capped.BaseAddress, "alice");

            var second = await first.Context.NewPageAsync();
            await second.GotoAsync("/environments");
            var bob = await chromium.SignInAsync(capped.BaseAddress, "bob");

            await Assertions.Expect(second.GetByText("You have 1 portal page open, the most allowed")).ToBeVisibleAsync();
            await Assertions.Expect(second.Locator("[data-interactive=true]")).ToHaveCountAsync(0);
            await Assertions.Expect(bob.Locator("[data-interactive=true]")).ToHaveCountAsync(1);

            await first.CloseAsync();
            var third = await second.Context.NewPageAsync();
            await Poll.UntilAsync(async () =>
            {
                await third.GotoAsync("/environments");
                return await WaitInteractiveAsync(third);
            }, "a page to be interactive once another closed", seconds: 60);
        }
        finally
        {
            TempFolder.Delete(Path.GetDirectoryName(settings[DatabaseConfiguration.DataDirKey])!);
        }
    }

    /// <summary>Whether the page's circuit comes up (its layout renders interactively) within a few seconds.</summary>
    private static async Task<bool> WaitInteractiveAsync(IPage page)
    {
        try
        {
            await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 5_000 });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
