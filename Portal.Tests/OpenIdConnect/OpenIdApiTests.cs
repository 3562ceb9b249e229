using System.Net;
using Portal.Tests.Api;
using Portal.Tests.Hosting;

namespace Portal.Tests.OpenIdConnect;

/// <summary>
/// The API takes the provider's JWT access tokens, got by a person signing in (see
/// <see cref="OpenIdProvider.AccessTokenAsync"/>), with the roles of its <c>roles</c> claim; a token that another
/// provider issued, that has expired or that is meant for another API is nobody (401, saying why).
/// </summary>
[Collection(OpenIdCollection.Name)]
[Trait(Lanes.Category, Lanes.OpenIdProvider)]
public sealed class OpenIdApiTests(OpenIdPortal portal)
{
    [Fact]
    public async Task TheProvidersAccessTokenIsAcceptedWithTheRolesOfItsClaim()
    {
        var name = PortalHost.UniqueName("oidc-api");
        using var alice = portal.Api(await portal.AccessTokenAsync("alice"));
        using var bob = portal.Api(await portal.AccessTokenAsync("bob"));

        using var submitted = await alice.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
        using var approverSubmits = await bob.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name + "-b")));
        using var engineerApproves = await alice.PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        using var approverReads = await bob.GetAsync($"/api/environments/{name}");

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, approverSubmits.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, engineerApproves.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approverReads.StatusCode);
    }

    [Fact]
    public async Task ATokenFromAnotherProviderIsRefused()
    {
        // The same software, clients and people, and the portal's redirect URI: only the issuer and its keys differ.
        using var other = await OpenIdProvider.StartAsync(portal.RedirectUri);
        using var api = portal.Api(await other.AccessTokenAsync(portal.Chromium.Browser, "dana"));

        await AssertRefusedAsync(api, $"The issuer '{other.Issuer}' is invalid");
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        var token = await portal.Provider.AccessTokenAsync(portal.Chromium.Browser, "dana", client: OpenIdProvider.StaleClient);

        await AssertRefusedAsync(portal.Api(token), "The token expired");
    }

    [Fact]
    public async Task ATokenForAnotherApiIsRefused()
    {
        var token = await portal.Provider.AccessTokenAsync(portal.Chromium.Browser, "dana", OpenIdProvider.OtherAudience);

        // The description leaves the audience out (personal data, by the token handler's rule), not the reason.
        await AssertRefusedAsync(portal.Api(token), "The audience");
    }

    /// <summary>401 with the bearer challenge naming <paramref name="reason"/>, and nothing read.</summary>
    private static async Task AssertRefusedAsync(HttpClient api, string reason)
    {
        using (api)
        {
            using var response = await api.GetAsync("/api/environments");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.True(challenge.Parameter?.Contains("error=\"invalid_token\"") == true && challenge.Parameter.Contains(reason),
                $"expected invalid_token: {reason}; the challenge: {challenge.Parameter}");
        }
    }
}
