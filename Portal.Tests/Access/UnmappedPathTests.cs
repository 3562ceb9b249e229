using System.Net;

namespace Portal.Tests.Access;

/// <summary>
/// A path nothing answers is "not found" whatever the method: a browser gets the not-found page, any other method
/// the 404 itself, never the not-found page's antiforgery refusal.
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class UnmappedPathTests(PortalHost host)
{
    public static TheoryData<string> NonNavigationMethods() => new() { "POST", "PUT", "DELETE" };

    [Theory]
    [MemberData(nameof(NonNavigationMethods))]
    public async Task AnUnmappedPathAnswersNotFoundToAnyMethod(string method)
    {
        using var session = await BrowserSession.SignInAsync(host, "dana");
        using var request = new HttpRequestMessage(new HttpMethod(method), "/no-such-page")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "anything" }),
        };

        using var response = await session.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("antiforgery", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnmappedPageShowsTheNotFoundPage()
    {
        using var session = await BrowserSession.SignInAsync(host, "dana");

        using var response = await session.Client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Nothing here.", await response.Content.ReadAsStringAsync());
    }
}
