using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Browser;
using Portal.Tests.Web;

namespace Portal.Tests.LoadTesting;

/// <summary>
/// Many watchers of one deploy: 50 Server-Sent Events clients and 10 Blazor circuits all see every event. Ten browser
/// pages and fifty streams keep both cores busy, so the class runs with the other saturating ones, on a portal of its own:
/// beside the crash matrix's fourteen portal processes a page once took longer than the browser's 20 s to load.
/// </summary>
[Collection(SaturatingCollection.Name)]
[Trait(Lanes.Category, Lanes.Load)]
public sealed class WatchersTests(PortalHost host, Chromium chromium) : IClassFixture<PortalHost>, IClassFixture<Chromium>
{
    private const int StreamClients = 50;
    private const int Circuits = 10;

    [Fact]
    public async Task FiftyEventStreamsAndTenOpenPagesWatchingOneDeployAllReceiveEveryEvent()
    {
        using var pace = SandboxPace.Set(host, 0.02); // a deploy of several seconds, so everyone watches it happen
        var name = await host.RequestedByAliceAsync("watchers");

        var pages = new List<IPage>();
        for (var i = 0; i < Circuits; i++)
        {
            var page = await chromium.SignInAsync(host, i % 2 == 0 ? "alice" : "carol");
            await Chromium.GoToAsync(page, $"/environments/{name}");
            pages.Add(page);
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        // Spread over the users, as each may hold only LiveEvents:MaxStreamsPerUser (10) streams.
        string[] users = ["alice", "bob", "carol", "dana", "erin"];
        var streams = Enumerable.Range(0, StreamClients).Select(i => ReadStreamAsync(users[i % users.Length], name, deadline.Token)).ToList();

        using (var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null)))
            approved.EnsureSuccessStatusCode();
        var received = await Task.WhenAll(streams);

        var stored = await host.Api("dana").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events?after=0&limit=500");
        var all = stored.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()!).ToList();
        Assert.Equal("CREATE_COMPLETE", stored[all.Count - 1].GetProperty("resourceStatus").GetString());
        Assert.All(received, events => Assert.Equal(all, events));
        foreach (var page in pages)
        {
            var deployment = page.Locator("[data-testid=deployment]");
            await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Deployed", new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByText($"Stack events ({all.Count})")).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }
    }

    /// <summary>One client's stack events, in order, until the stream says the revision is Deployed.</summary>
    private async Task<List<string>> ReadStreamAsync(string user, string name, CancellationToken cancellationToken)
    {
        using var client = host.Api(user);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await client.GetAsync($"/api/environments/{name}/events/stream", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var events = new List<string>();
        await foreach (var item in SseParser.Create(stream, (_, data) => JsonSerializer.Deserialize<JsonElement>(data)).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == "stack-event")
                events.Add(item.Data.GetProperty("eventId").GetString()!);
            else if (item.EventType == "status" && item.Data.GetProperty("revisionStatus").GetString() == "Deployed")
                return events;
        }
        throw new InvalidOperationException("the stream ended before the deploy did");
    }
}
