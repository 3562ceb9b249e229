using Microsoft.Playwright;
using Portal.Tests.Browser;

namespace Portal.Tests.OpenIdConnect;

/// <summary>
/// Browsers sign in with the authorization code flow and PKCE at a real OpenID provider: a signed-out visit goes to the
/// provider's form and comes back signed in, named and with the roles of the provider's <c>roles</c> claim.
/// </summary>
[Collection(OpenIdCollection.Name)]
[Trait("Category", "OpenIdProvider")]
public sealed class OpenIdSignInTests(OpenIdPortal portal)
{
    [Fact]
    public async Task An_approver_signs_in_at_the_provider_and_comes_back_to_the_approvals_page()
    {
        var bob = await portal.SignInAsync("bob", "/approvals");

        Assert.Equal(new Uri(portal.Host.BaseAddress, "/approvals").ToString(), bob.Url);
        await Assertions.Expect(bob.Locator("h1")).ToHaveTextAsync("Approvals");
        await Assertions.Expect(bob.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync("bob");
    }

    [Fact]
    public async Task An_engineer_signed_in_at_the_provider_is_refused_the_approvals_page()
    {
        var alice = await portal.SignInAsync("alice", "/approvals");

        Assert.StartsWith(new Uri(portal.Host.BaseAddress, "/forbidden").ToString(), alice.Url);
        await Assertions.Expect(alice.Locator("[data-testid=forbidden]")).ToContainTextAsync("Your role does not allow this page.");
        await Assertions.Expect(alice.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync("alice");
        await Chromium.GoToAsync(alice, "/request");
        await Assertions.Expect(alice.Locator("[data-testid=submit]")).ToBeVisibleAsync();
    }
}
