using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Portal.Tests.Browser;
using Portal.Tests.Hosting;

namespace Portal.Tests.OpenIdConnect;

/// <summary>
/// Browsers sign in with the authorization code flow and PKCE at a real OpenID provider: a signed-out visit goes to the
/// provider's form and comes back signed in, named and with the roles of the provider's <c>roles</c> claim.
/// </summary>
[Collection(OpenIdCollection.Name)]
[Trait(Lanes.Category, Lanes.OpenIdProvider)]
public sealed class OpenIdSignInTests(OpenIdPortal portal)
{
    [Fact]
    public async Task AnApproverSignsInAtTheProviderAndComesBackToTheApprovalsPage()
    {
        var bob = await portal.SignInAsync("bob", "/approvals");

        Assert.Equal(new Uri(portal.Host.BaseAddress, "/approvals").ToString(), bob.Url);
        await Assertions.Expect(bob.Locator("h1")).ToHaveTextAsync("Approvals");
        await Assertions.Expect(bob.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync("bob");
    }

    [Fact]
    public async Task AnEngineerSignedInAtTheProviderIsRefusedTheApprovalsPage()
    {
        var alice = await portal.SignInAsync("alice", "/approvals");

        Assert.StartsWith(new Uri(portal.Host.BaseAddress, "/forbidden").ToString(), alice.Url);
        await Assertions.Expect(alice.Locator("[data-testid=forbidden]")).ToContainTextAsync("Your role does not allow this page.");
        await Assertions.Expect(alice.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync("alice");
        await Chromium.GoToAsync(alice, "/request");
        await Assertions.Expect(alice.Locator("[data-testid=submit]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheBrowsersSignInKeepsTheProvidersIssuerAndSubject()
    {
        // What the cookie will hold, as the handler hands it over; the API's bearer tokens carry iss and sub as sent.
        var events = portal.Host.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>()
            .Get(OpenIdConnectDefaults.AuthenticationScheme).Events;
        var signedIn = new TaskCompletionSource<ClaimsPrincipal>(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = events.OnTicketReceived;
        events.OnTicketReceived = context =>
        {
            signedIn.TrySetResult(context.Principal!);
            return received(context);
        };
        try
        {
            await portal.SignInAsync("carol");
        }
        finally
        {
            events.OnTicketReceived = received;
        }
        var carol = await signedIn.Task;

        Assert.Equal(portal.Provider.Issuer, carol.FindFirst("iss")?.Value);
        Assert.Equal(OpenIdProvider.Account("carol").Subject, carol.FindFirst("sub")?.Value);
    }
}
